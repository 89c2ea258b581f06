package dev.tuneforge.app.audit;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/**
 * Audit records as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted where they hold a
 * comma, quote or line end). A field a spreadsheet would take for a formula ({@code =}, {@code +},
 * {@code -}, {@code @}) gets a leading apostrophe, so that an opened export never runs what a user
 * typed.
 */
final class AuditCsv {
  static final String HEADER =
      "time,tenant,tenant_id,user,user_id,action,target,detail,client_address";

  private AuditCsv() {}

  static void header(Writer out) throws IOException {
    out.write(HEADER + "\r\n");
  }

  static void line(AuditEntry entry, Writer out) throws IOException {
    out.write(
        String.join(
                ",",
                field(entry.occurredAt().toString()),
                field(Objects.requireNonNullElse(entry.tenant(), "")),
                field(entry.tenantId() == null ? "" : entry.tenantId().toString()),
                field(entry.actor()),
                field(entry.actorId() == null ? "" : entry.actorId().toString()),
                field(entry.action().name()),
                field(entry.target()),
                field(entry.detail()),
                field(entry.clientAddress()))
            + "\r\n");
  }

  static String field(String value) {
    String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
      return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
    return safe;
  }
}
