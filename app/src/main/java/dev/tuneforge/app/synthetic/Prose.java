package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.synthetic.Draft.Distractor;
import dev.tuneforge.app.synthetic.Draft.Entry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Emails, contract clauses and free text: values inside sentences and labelled lines, among filler.
 */
final class Prose {
  private static final List<String> EMAIL_FILLER =
      List.of(
          "I hope this message finds you well.", "Following up on our conversation from last week.",
          "Let me know if anything needs to change.", "Please see the details below.",
          "We appreciate your patience while we sorted this out.",
              "Feel free to reply with any questions.");
  private static final List<String> LEGAL_FILLER =
      List.of(
          "Neither party shall be liable for any delay caused by events beyond its reasonable control.",
          "This clause survives the termination or expiry of this Agreement.",
          "Any notice under this Agreement shall be given in writing.",
          "The parties shall act in good faith in performing their obligations.",
          "No waiver of any right shall be effective unless made in writing.",
          "Headings are for convenience only and do not affect interpretation.");
  private static final List<String> TEXT_FILLER =
      List.of(
          "The notes below were taken during the review.",
              "Some details were confirmed by phone afterwards.",
          "Everything else stays as previously agreed.", "This summary was prepared for the team.",
          "A copy has been filed with the other records.",
              "Nothing further was raised at the time.");
  private static final List<String> HEADINGS =
      List.of(
          "PAYMENT TERMS",
          "PARTIES",
          "TERM AND TERMINATION",
          "FEES AND EXPENSES",
          "DELIVERY",
          "CONFIDENTIALITY");
  private static final List<String> SUBJECTS =
      List.of(
          "Your order",
          "Invoice and payment details",
          "Follow-up",
          "Account update",
          "Details as requested");

  private Prose() {}

  static DocumentText render(Draft draft, FieldValues values) {
    Random random = values.random();
    DocumentText doc = new DocumentText();
    List<Entry> body = new ArrayList<>(draft.entries);
    int section = 0;
    List<Consumer<DocumentText>> parts = new ArrayList<>();
    if (draft.kind == DocumentKind.EMAIL) {
      Entry from = take(body, "from", "sender");
      Entry to = take(body, "to_", "recipient");
      Entry subject = take(body, "subject", "title");
      if (from != null && from.shown()) {
        doc.text("From: ").value(from.value()).newline();
      }
      if (to != null && to.shown()) {
        doc.text("To: ").value(to.value()).newline();
      }
      doc.text("Subject: ");
      if (subject != null && subject.shown()) {
        doc.value(subject.value());
      } else {
        doc.text(values.pick(SUBJECTS));
      }
      doc.newline()
          .newline()
          .text(values.pick(List.of("Hi,", "Hello,", "Dear customer,", "Good morning,")))
          .newline()
          .newline();
    } else {
      if (draft.kind == DocumentKind.CONTRACT_CLAUSE) {
        section = 1 + random.nextInt(14);
        doc.text(section + ". " + values.pick(HEADINGS)).newline();
      }
    }
    List<String> filler =
        switch (draft.kind) {
          case EMAIL -> EMAIL_FILLER;
          case CONTRACT_CLAUSE -> LEGAL_FILLER;
          default -> TEXT_FILLER;
        };
    for (Entry entry : body) {
      if (entry.shown()) {
        parts.add(
            sentence(draft, entry.label(), entry.field().type(), entry.value(), true, random));
      }
    }
    for (Distractor distractor : draft.distractors) {
      parts.add(
          sentence(
              draft, distractor.label(), distractor.type(), distractor.value(), false, random));
    }
    List<String> sentences = new ArrayList<>(filler);
    Collections.shuffle(sentences, random);
    for (String sentence : sentences.subList(0, 1 + random.nextInt(3))) {
      parts.add(d -> d.text(sentence + " "));
    }
    Collections.shuffle(parts, random);
    String clause = draft.kind == DocumentKind.CONTRACT_CLAUSE ? section + "." : null;
    for (int i = 0; i < parts.size(); i++) {
      if (clause != null && i % 2 == 0) {
        doc.newline().text(clause + (i / 2 + 1) + " ");
      } else if (i % 3 == 0 && i > 0) {
        doc.newline();
      }
      parts.get(i).accept(doc);
    }
    doc.newline();
    if (draft.kind == DocumentKind.EMAIL) {
      doc.newline()
          .text(values.pick(List.of("Best regards", "Thanks", "Kind regards", "Cheers")))
          .newline();
    }
    return doc;
  }

  /**
   * Takes the first field named like {@code prefix…} or {@code …part…} out of {@code body}, to show
   * it in a header.
   */
  private static @Nullable Entry take(List<Entry> body, String prefix, String part) {
    for (Entry entry : body) {
      String name = entry.field().name().toLowerCase(Locale.ROOT);
      FieldType type = entry.field().type();
      boolean headerType =
          type == FieldType.EMAIL || type == FieldType.PERSON || type == FieldType.STRING;
      if (headerType && (name.startsWith(prefix) || name.contains(part))) {
        body.remove(entry);
        return entry;
      }
    }
    return null;
  }

  /** A labelled line or a sentence around a value; a distractor's value is plain text. */
  private static Consumer<DocumentText> sentence(
      Draft draft, String label, FieldType type, String value, boolean isField, Random random) {
    String words = label.toLowerCase(Locale.ROOT);
    String currency = type == FieldType.MONEY ? draft.currency : "";
    String[] around =
        switch (draft.kind) {
          case CONTRACT_CLAUSE ->
              switch (random.nextInt(3)) {
                case 0 -> new String[] {"The " + words + " shall be " + currency, ". "};
                case 1 ->
                    new String[] {
                      "For the purposes of this clause, the " + words + " means " + currency, ". "
                    };
                default ->
                    new String[] {"The parties agree that the " + words + " is " + currency, ". "};
              };
          default ->
              switch (random.nextInt(4)) {
                case 0 -> new String[] {"\n" + label + draft.separator + currency, "\n"};
                case 1 -> new String[] {"The " + words + " is " + currency, ". "};
                case 2 -> new String[] {"Please note the " + words + ": " + currency, ". "};
                default ->
                    new String[] {"We have " + currency, " on record as the " + words + ". "};
              };
        };
    return doc -> {
      doc.text(around[0]);
      if (isField) {
        doc.value(value);
      } else {
        doc.text(value);
      }
      doc.text(around[1]);
    };
  }
}
