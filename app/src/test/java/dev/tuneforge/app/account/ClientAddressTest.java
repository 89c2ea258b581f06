package dev.tuneforge.app.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

  @Test
  void ipv6ClientsAreCountedByTheirSlash64() {
    assertThat(ClientAddress.network("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))
        .isEqualTo(ClientAddress.network("2001:db8:1:2::1"))
        .isEqualTo("2001:db8:1:2:0:0:0:0/64");
    assertThat(ClientAddress.network("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3:0:0:0:0/64");
    assertThat(ClientAddress.network("fe80::1%eth0")).isEqualTo("fe80:0:0:0:0:0:0:0/64");
  }

  @Test
  void ipv4AndMappedAddressesStayWhole() {
    assertThat(ClientAddress.network("192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientAddress.network("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
  }

  @Test
  void anythingElseIsKeptAsItIsAndNeverLookedUp() {
    assertThat(ClientAddress.network("example.com")).isEqualTo("example.com");
    assertThat(ClientAddress.network("not:an:address")).isEqualTo("not:an:address");
    assertThat(ClientAddress.network("")).isEmpty();
  }
}
