package dev.tuneforge.app.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dns;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Calls URLs that users configured. The host is resolved once, every address it resolves to is
 * checked, and the connection goes to exactly those addresses (no proxy, no second lookup);
 * redirects are not followed; the answer is read up to a size cap within a time limit. Internal
 * addresses are refused unless an administrator allowed the host.
 */
@Component
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundRequests {
  private static final Logger log = LoggerFactory.getLogger(OutboundRequests.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final OutboundProperties properties;
  private final Set<String> allowedHosts;
  private final OkHttpClient http;

  public OutboundRequests(OutboundProperties properties) {
    this.properties = properties;
    this.allowedHosts =
        properties.allowedHosts().stream()
            .map(String::strip)
            .filter(host -> !host.isEmpty())
            .map(host -> host.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    this.http =
        new OkHttpClient.Builder()
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            .connectTimeout(properties.connectTimeout())
            // Each call has its own Dns, so connections would never be shared anyway.
            .connectionPool(new ConnectionPool(0, 1, java.util.concurrent.TimeUnit.SECONDS))
            .build();
  }

  /**
   * Checks a URL a user is about to save, without resolving it: https (or http where allowed), a
   * host, no user info, query, fragment or escaped characters, and not a literal internal address
   * unless allowed.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public URI checkedUrl(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(usage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || (scheme.equals("http") && properties.allowHttp()))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawPath() == null
        || uri.getRawPath().contains("%")) {
      throw new IllegalArgumentException(usage());
    }
    String host = host(uri);
    if (!allowed(host, port(uri)) && literallyInternal(host)) {
      throw new IllegalArgumentException(
          "The URL points inside the platform's own network; an administrator must allow "
              + host
              + " first");
    }
    return uri;
  }

  /**
   * Posts JSON and reads the answer, whatever its status.
   *
   * @throws OutboundFailed for every failure, with the same message
   */
  public OutboundResponse postJson(
      URI url, Map<String, String> headers, String json, Duration timeout)
      throws OutboundFailed, InterruptedException {
    URI checked;
    try {
      checked = checkedUrl(url.toString());
    } catch (IllegalArgumentException e) {
      throw failed(url, "refused: " + e.getMessage(), false);
    }
    String host = host(checked);
    int port = port(checked);
    Request.Builder request = new Request.Builder().url(checked.toString());
    headers.forEach(request::header);
    request.post(RequestBody.create(json, JSON));
    long cap = properties.maxResponseSize().toBytes();
    PinnedDns dns = new PinnedDns(allowed(host, port));
    OkHttpClient client = http.newBuilder().dns(dns).callTimeout(timeout).build();
    try {
      if (isIpLiteral(host)) {
        // OkHttp connects to a literal address without asking the Dns.
        dns.lookup(host);
      }
      Call call = client.newCall(request.build());
      try (Response response = call.execute()) {
        long declared = response.body().contentLength();
        if (declared > cap) {
          call.cancel();
          throw failed(url, "answer of " + declared + " bytes exceeds the cap", false);
        }
        byte[] body;
        try (InputStream in = response.body().byteStream()) {
          body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
          if (body.length > cap) {
            // closing an unfinished body would read on (up to 100 ms) to reuse the connection
            call.cancel();
          }
        }
        if (body.length > cap) {
          throw failed(url, "answer exceeds the cap of " + cap + " bytes", false);
        }
        return new OutboundResponse(response.code(), body);
      }
    } catch (RefusedAddress e) {
      throw failed(url, e.getMessage(), false);
    } catch (InterruptedIOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      throw failed(url, "timed out: " + e, true);
    } catch (IOException e) {
      if (e.getCause() instanceof RefusedAddress refused) {
        throw failed(url, refused.getMessage(), false);
      }
      throw failed(url, e.toString(), true);
    }
  }

  private static OutboundFailed failed(URI url, String detail, boolean worthRetrying) {
    log.info("Outbound call to {} failed: {}", url.getHost(), detail);
    return new OutboundFailed(worthRetrying);
  }

  private boolean allowed(String host, int port) {
    return allowedHosts.contains(host) || allowedHosts.contains(host + ":" + port);
  }

  private static String usage() {
    return "The base URL must be an https URL such as https://api.openai.com/v1 (http only where an"
        + " administrator allows it), with no user name, query, fragment or escaped characters";
  }

  private static String host(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static int port(URI uri) {
    return uri.getPort() != -1
        ? uri.getPort()
        : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static boolean isIpLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  private static boolean literallyInternal(String host) {
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return true;
    }
    if (!isIpLiteral(host)) {
      return false;
    }
    try {
      return !AddressRanges.isPublic(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return true;
    }
  }

  /** Resolves once and hands OkHttp only addresses that passed the check. */
  private static final class PinnedDns implements Dns {
    private final boolean hostAllowed;

    PinnedDns(boolean hostAllowed) {
      this.hostAllowed = hostAllowed;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      List<InetAddress> addresses = List.of(InetAddress.getAllByName(hostname));
      if (!hostAllowed) {
        for (InetAddress address : addresses) {
          if (!AddressRanges.isPublic(address)) {
            throw new RefusedAddress(
                hostname + " resolves to internal " + address.getHostAddress());
          }
        }
      }
      return addresses;
    }
  }

  private static final class RefusedAddress extends UnknownHostException {
    RefusedAddress(String message) {
      super(message);
    }
  }
}
