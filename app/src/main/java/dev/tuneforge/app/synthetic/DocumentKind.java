package dev.tuneforge.app.synthetic;

/** The kind of document the fields are embedded in. */
public enum DocumentKind {
  RECEIPT("receipt", "Receipt"),
  INVOICE("invoice", "Invoice"),
  EMAIL("email", "Email"),
  CONTRACT_CLAUSE("contract clause", "Contract clause"),
  FREE_TEXT("text", "Free text");

  private final String noun;
  private final String label;

  DocumentKind(String noun, String label) {
    this.noun = noun;
    this.label = label;
  }

  /** How the system prompt names the document: "the receipt below". */
  public String noun() {
    return noun;
  }

  public String label() {
    return label;
  }
}
