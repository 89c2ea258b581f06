package dev.tuneforge.app.apikey;

/**
 * A request the object's state does not allow yet, answered 409 with {@code code} (for instance
 * {@code export_not_ready}) and a message saying what to do.
 */
public class ApiConflict extends RuntimeException {
  private final String code;

  public ApiConflict(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
