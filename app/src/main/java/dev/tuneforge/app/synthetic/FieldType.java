package dev.tuneforge.app.synthetic;

/** What kind of value a field holds; it decides how values are generated and written. */
public enum FieldType {
  STRING("string", "Free text; examples, if given, are the values used"),
  COMPANY("company", "A company name"),
  PERSON("person", "A person's full name"),
  ADDRESS("address", "A postal address on one line"),
  DATE(
      "date", "A date; examples pick the date formats (2024-03-15, 15/03/2024, Mar 15, 2024, ...)"),
  MONEY("money", "An amount with two decimals, e.g. 12.50; examples set the range"),
  NUMBER("number", "A number, written as a JSON number; examples set the range and decimals"),
  EMAIL("email", "An email address"),
  PHONE("phone", "A phone number"),
  ID(
      "id",
      "An identifier; an example such as INV-2024-0042 is the pattern (digits and letters vary)"),
  ENUM("enum", "One of the example values, which are required");

  private final String id;
  private final String hint;

  FieldType(String id, String hint) {
    this.id = id;
    this.hint = hint;
  }

  /** The name shown to users and in the system prompt. */
  public String id() {
    return id;
  }

  public String hint() {
    return hint;
  }
}
