package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.synthetic.Draft.Distractor;
import dev.tuneforge.app.synthetic.Draft.Entry;
import dev.tuneforge.app.synthetic.Draft.LineItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Receipts and invoices: a header with the first company and address unlabelled, labelled lines in
 * varying order, line items that add up, the money block and filler lines.
 */
final class Layouts {
  private static final List<String> RECEIPT_FOOTERS =
      List.of(
          "Thank you for shopping with us!",
          "Please come again",
          "Goods sold are not returnable",
          "Keep this receipt for your records",
          "Have a nice day");
  private static final List<String> INVOICE_FOOTERS =
      List.of(
          "Thank you for your business.", "Please include the invoice reference with your payment.",
          "Payment by bank transfer is preferred.",
              "Questions about this invoice? Contact our billing team.");

  private Layouts() {}

  static DocumentText render(Draft draft, FieldValues values) {
    return switch (draft.kind) {
      case RECEIPT, INVOICE -> ledger(draft, values);
      case EMAIL, CONTRACT_CLAUSE, FREE_TEXT -> Prose.render(draft, values);
    };
  }

  private static DocumentText ledger(Draft draft, FieldValues values) {
    Random random = values.random();
    boolean receipt = draft.kind == DocumentKind.RECEIPT;
    DocumentText doc = new DocumentText();
    List<Entry> rest = new ArrayList<>(draft.entries);
    if (!receipt && random.nextBoolean()) {
      doc.text(values.pick(List.of("INVOICE", "Invoice", "TAX INVOICE"))).newline();
    }
    Entry company = draft.takeFirst(rest, FieldType.COMPANY);
    if (company != null) {
      doc.value(company.value()).newline();
    }
    Entry address = draft.takeFirst(rest, FieldType.ADDRESS);
    if (address != null) {
      doc.value(address.value()).newline();
    }
    if (receipt && random.nextBoolean()) {
      doc.text(values.pick(List.of("Store #", "Branch ", "Outlet ")) + (100 + random.nextInt(900)))
          .newline();
    }
    doc.newline();
    List<Runnable> meta = new ArrayList<>();
    List<Runnable> money = new ArrayList<>();
    rest.sort(Comparator.comparing(e -> Ledger.role(e.field())));
    int width = 14 + random.nextInt(8);
    for (Entry entry : rest) {
      if (entry.omitted()) {
        continue;
      }
      boolean isMoney = entry.field().type() == FieldType.MONEY;
      String label =
          pad(entry.label() + draft.separator, isMoney ? width : 0)
              + (isMoney ? draft.currency : "");
      (isMoney ? money : meta).add(() -> doc.labelled(label, entry.value()));
    }
    for (Distractor distractor : draft.distractors) {
      boolean isMoney = distractor.type() == FieldType.MONEY;
      String line =
          pad(distractor.label() + draft.separator, isMoney ? width : 0)
              + (isMoney ? draft.currency : "")
              + distractor.value();
      List<Runnable> block = isMoney ? money : meta;
      block.add(random.nextInt(block.size() + 1), () -> doc.text(line).newline());
    }
    Collections.shuffle(meta, random);
    meta.forEach(Runnable::run);
    String rule = (random.nextBoolean() ? "-" : "=").repeat(24 + random.nextInt(16));
    doc.text(rule).newline();
    if (!receipt) {
      doc.text("Description | Qty | Unit price | Amount").newline();
    }
    for (LineItem item : draft.items) {
      String line =
          receipt && random.nextBoolean()
              ? item.description()
                  + "\n  "
                  + item.quantity()
                  + " @ "
                  + item.unitPrice()
                  + "    "
                  + item.amount()
              : receipt
                  ? item.quantity() + " x " + item.description() + "    " + item.amount()
                  : item.description()
                      + " | "
                      + item.quantity()
                      + " | "
                      + item.unitPrice()
                      + " | "
                      + item.amount();
      doc.text(line).newline();
    }
    doc.text(rule).newline();
    money.forEach(Runnable::run);
    doc.newline().text(values.pick(receipt ? RECEIPT_FOOTERS : INVOICE_FOOTERS)).newline();
    return doc;
  }

  private static String pad(String label, int width) {
    return label.length() >= width ? label : label + " ".repeat(width - label.length());
  }
}
