package dev.tuneforge.app.account;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The network a client address is counted under: an IPv4 address itself, an IPv6 address by its /64
 * (one subscriber usually holds a whole /64, so counting single addresses would let them rotate
 * through 2^64 of them).
 */
public final class ClientAddress {
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  private ClientAddress() {}

  /**
   * The address of the client of the current request (the browser's, behind a proxy configured with
   * {@code server.forward-headers-strategy}); empty outside a request.
   */
  public static String current() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
        ? Objects.requireNonNullElse(request.getRequest().getRemoteAddr(), "")
        : "";
  }

  static String network(String address) {
    String literal = address.strip();
    int zone = literal.indexOf('%');
    String bare = zone < 0 ? literal : literal.substring(0, zone);
    // Only an IPv6 literal is parsed (never a name, which would be looked up in DNS); a zone id
    // (fe80::1%eth0) is dropped.
    if (!bare.contains(":") || !IPV6_LITERAL.matcher(bare).matches()) {
      return literal;
    }
    try {
      InetAddress parsed = InetAddress.getByName(bare);
      if (!(parsed instanceof Inet6Address)) {
        return parsed.getHostAddress();
      }
      byte[] network = Arrays.copyOf(parsed.getAddress(), 16);
      Arrays.fill(network, 8, 16, (byte) 0);
      return InetAddress.getByAddress(network).getHostAddress() + "/64";
    } catch (UnknownHostException e) {
      return literal;
    }
  }
}
