package dev.tuneforge.app.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The address ranges a user-configured URL may not reach: the host itself, its private networks,
 * cloud metadata services and addresses that are not one host. IPv6 forms that embed an IPv4
 * address (compatible, NAT64, 6to4) are judged by the IPv4 address they carry; Java already turns
 * IPv4-mapped ones into IPv4 addresses.
 */
final class AddressRanges {
  private static final List<Range> INTERNAL =
      List.of(
          Range.of("0.0.0.0/8"), // unspecified, "this network"
          Range.of("10.0.0.0/8"), // private
          Range.of("100.64.0.0/10"), // carrier-grade NAT
          Range.of("127.0.0.0/8"), // loopback
          Range.of("169.254.0.0/16"), // link-local, incl. 169.254.169.254 (metadata)
          Range.of("172.16.0.0/12"), // private
          Range.of("192.0.0.0/24"), // IETF protocol assignments
          Range.of("192.168.0.0/16"), // private
          Range.of("198.18.0.0/15"), // benchmarking
          Range.of("224.0.0.0/4"), // multicast
          Range.of("240.0.0.0/4"), // reserved, incl. broadcast
          Range.of("::/128"), // unspecified
          Range.of("::1/128"), // loopback
          Range.of("fc00::/7"), // unique local, incl. fd00:ec2::254 (metadata)
          Range.of("fe80::/10"), // link-local
          Range.of("fec0::/10"), // site-local
          Range.of("ff00::/8")); // multicast
  private static final Range COMPATIBLE = Range.of("::/96");
  private static final Range NAT64 = Range.of("64:ff9b::/96");
  private static final Range SIX_TO_FOUR = Range.of("2002::/16");

  private AddressRanges() {}

  /** Whether the address belongs to a host on the public internet. */
  static boolean isPublic(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] b = address.getAddress();
      if (COMPATIBLE.contains(b) || NAT64.contains(b)) {
        return isPublic(ipv4(b, 12));
      }
      if (SIX_TO_FOUR.contains(b)) {
        return isPublic(ipv4(b, 2));
      }
    }
    byte[] bytes = address.getAddress();
    return INTERNAL.stream().noneMatch(range -> range.contains(bytes));
  }

  private static InetAddress ipv4(byte[] bytes, int from) {
    byte[] four = new byte[4];
    System.arraycopy(bytes, from, four, 0, 4);
    try {
      return Inet4Address.getByAddress(four);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Range(byte[] network, int prefix) {
    static Range of(String cidr) {
      int slash = cidr.indexOf('/');
      try {
        return new Range(
            InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
            Integer.parseInt(cidr.substring(slash + 1)));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(cidr, e);
      }
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
