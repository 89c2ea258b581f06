package dev.tuneforge.app.storage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Presigns S3 requests (AWS Signature Version 4, query string) with headers of our choosing in the
 * signature: a part URL signed with its {@code content-length} is refused by storage for a body of
 * any other size, which the MinIO SDK's presigning (host only) cannot express.
 */
final class UrlSigner {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";

  private final URI endpoint;
  private final String region;
  private final String accessKey;
  private final String secretKey;
  private final Clock clock;

  UrlSigner(String endpoint, String region, String accessKey, String secretKey, Clock clock) {
    this.endpoint = URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/");
    this.region = region;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.clock = clock;
  }

  /**
   * A URL for {@code method} on {@code bucket/key} with {@code query} and the {@code headers} the
   * client must send with exactly these values, valid for {@code validFor} (1 s to 7 days).
   */
  String presign(
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      Duration validFor) {
    long seconds = validFor.toSeconds();
    if (seconds < 1 || seconds > Duration.ofDays(7).toSeconds()) {
      throw new IllegalArgumentException("A presigned URL is valid for 1 s to 7 days");
    }
    String stamp = STAMP.format(clock.instant());
    String day = stamp.substring(0, 8);
    String scope = day + "/" + region + "/s3/aws4_request";
    TreeMap<String, String> signed = new TreeMap<>();
    signed.put("host", host());
    headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value.trim()));
    String signedNames = String.join(";", signed.keySet());
    TreeMap<String, String> params = new TreeMap<>();
    query.forEach((name, value) -> params.put(encode(name, true), encode(value, true)));
    params.put("X-Amz-Algorithm", ALGORITHM);
    params.put("X-Amz-Credential", encode(accessKey + "/" + scope, true));
    params.put("X-Amz-Date", stamp);
    params.put("X-Amz-Expires", Long.toString(seconds));
    params.put("X-Amz-SignedHeaders", encode(signedNames, true));
    String queryString =
        params.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("&"));
    String path = endpoint.getRawPath() + encode(bucket, true) + "/" + encode(key, false);
    String canonical =
        String.join(
            "\n",
            method,
            path,
            queryString,
            signed.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue() + "\n")
                .collect(Collectors.joining()),
            signedNames,
            "UNSIGNED-PAYLOAD");
    String toSign = String.join("\n", ALGORITHM, stamp, scope, hex(sha256(canonical)));
    byte[] signingKey = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
    for (String part : new String[] {region, "s3", "aws4_request"}) {
      signingKey = hmac(signingKey, part);
    }
    String signature = hex(hmac(signingKey, toSign));
    return endpoint.getScheme()
        + "://"
        + host()
        + path
        + "?"
        + queryString
        + "&X-Amz-Signature="
        + signature;
  }

  private String host() {
    int port = endpoint.getPort();
    boolean standard =
        port == -1
            || ("http".equals(endpoint.getScheme()) && port == 80)
            || ("https".equals(endpoint.getScheme()) && port == 443);
    return standard ? endpoint.getHost() : endpoint.getHost() + ":" + port;
  }

  /** S3's URI encoding: everything but unreserved characters, and '/' too where asked. */
  static String encode(String text, boolean slash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (c == '/' && !slash)) {
        out.append(c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
