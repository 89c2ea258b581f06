package dev.tuneforge.app.outbound;

import java.nio.charset.StandardCharsets;

/** An HTTP answer from a user-configured URL, its body read whole but never beyond the cap. */
public record OutboundResponse(int status, byte[] body) {
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
