package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.synthetic.Draft.LineItem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The line items of a receipt or invoice and the money fields that follow from them: a field named
 * like a subtotal, tax or total gets the sum, the tax or the total of the items, so that the
 * figures on the document add up.
 */
final class Ledger {
  enum Role {
    SUBTOTAL,
    TAX,
    TOTAL,
    OTHER
  }

  private static final List<Double> TAX_RATES = List.of(0.0, 0.05, 0.06, 0.07, 0.08, 0.1, 0.2);

  private Ledger() {}

  static Role role(FieldSpec field) {
    if (field.type() != FieldType.MONEY) {
      return Role.OTHER;
    }
    String name = field.name().toLowerCase(Locale.ROOT);
    if (name.contains("sub") || name.contains("net")) {
      return Role.SUBTOTAL;
    }
    if (name.contains("tax") || name.contains("vat") || name.contains("gst")) {
      return Role.TAX;
    }
    if (name.contains("total")
        || name.contains("amount")
        || name.contains("due")
        || name.contains("grand")) {
      return Role.TOTAL;
    }
    return Role.OTHER;
  }

  /**
   * Adds line items to receipts and invoices; returns the values of the fields computed from them.
   */
  static Map<String, String> fill(Draft draft, List<FieldSpec> fields, FieldValues values) {
    Map<String, String> computed = new HashMap<>();
    if (draft.kind != DocumentKind.RECEIPT && draft.kind != DocumentKind.INVOICE) {
      return computed;
    }
    Random random = values.random();
    boolean receipt = draft.kind == DocumentKind.RECEIPT;
    FieldSpec totalField =
        fields.stream().filter(f -> role(f) == Role.TOTAL).findFirst().orElse(null);
    double target =
        totalField == null
            ? (receipt ? 5 + random.nextDouble() * 150 : 200 + random.nextDouble() * 9000)
            : values.money(totalField, receipt ? 5 : 200, receipt ? 155 : 9200).doubleValue();
    double rate = values.pick(TAX_RATES);
    int count = 1 + random.nextInt(receipt ? 7 : 5);
    double[] weights = new double[count];
    double sum = 0;
    for (int i = 0; i < count; i++) {
      weights[i] = 0.2 + random.nextDouble();
      sum += weights[i];
    }
    double net = target / (1 + rate);
    BigDecimal subtotal = BigDecimal.ZERO.setScale(2);
    for (int i = 0; i < count; i++) {
      int quantity = random.nextDouble() < 0.6 ? 1 : 2 + random.nextInt(4);
      BigDecimal unit = FieldValues.amount(net * weights[i] / sum / quantity);
      BigDecimal amount =
          unit.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_UP);
      draft.items.add(
          new LineItem(values.faker().commerce().productName(), quantity, unit, amount));
      subtotal = subtotal.add(amount);
    }
    BigDecimal tax = subtotal.multiply(BigDecimal.valueOf(rate)).setScale(2, RoundingMode.HALF_UP);
    BigDecimal total = subtotal.add(tax);
    for (FieldSpec field : fields) {
      switch (role(field)) {
        case SUBTOTAL -> computed.put(field.name(), subtotal.toPlainString());
        case TAX -> computed.put(field.name(), tax.toPlainString());
        case TOTAL -> computed.put(field.name(), total.toPlainString());
        case OTHER -> {}
      }
    }
    return computed;
  }
}
