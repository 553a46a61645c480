package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateAddressesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "10.0.0.1",
        "169.254.169.254",
        "::1",
        "172.16.5.4",
        "192.168.1.1",
        "100.64.0.1",
        "0.0.0.0",
        "fd00:ec2::254",
        "fe80::1",
        "::ffff:127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "224.0.0.1"
      })
  void treatsResolvedLocalAndPrivateAddressesAsPrivate(String literal) throws Exception {
    assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(literal))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.1.1.1", "203.0.113.10", "2606:4700:4700::1111"})
  void treatsPublicAddressesAsPublic(String literal) throws Exception {
    assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(literal))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "[::1]", "10.0.0.1", "1.2.3.999"})
  void treatsLocalPrivateOrMalformedHostTextAsPrivate(String host) {
    assertThat(PrivateAddresses.isPrivateHost(host)).isTrue();
  }
}
