package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.PrivateHosts.Verdict;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateHostsTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "127.1, 127.0.0.1",
    "10.1.2, 10.1.0.2",
    "2130706433, 127.0.0.1",
    "0x7f000001, 127.0.0.1",
    "0x7f.0.0.1, 127.0.0.1",
    "0177.0.0.01, 127.0.0.1",
    "0xA9.0xFE.0xa9.0xfe, 169.254.169.254",
    "0x, 0.0.0.0",
    "255.255.255.255, 255.255.255.255"
  })
  void readsIpv4LiteralsTheWayResolversDo(String literal, String dotted) {
    byte[] address = PrivateHosts.parseIpv4(literal.toLowerCase(Locale.ROOT));
    assertThat(address).isNotNull();
    assertThat(
            String.format(
                "%d.%d.%d.%d",
                address[0] & 0xff, address[1] & 0xff, address[2] & 0xff, address[3] & 0xff))
        .isEqualTo(dotted);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "256.0.0.1",
        "1.2.3.4.5",
        "4294967296",
        "1..2",
        "08.0.0.1",
        "0x1g",
        "+1.2.3.4",
        "-1",
        "1.2.3.256"
      })
  void refusesNumbersThatAreNotIpv4Literals(String text) {
    assertThat(PrivateHosts.parseIpv4(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "LocalHost",
        "x.LOCALHOST",
        "[::1]",
        "[FE80::1]",
        "0x7F000001",
        "[::ffff:127.0.0.1]",
        "[::ffff:169.254.169.254]",
        "100.100.100.200",
        "[fd00:ec2::254]"
      })
  void classifiesLocalAndPrivateHosts(String host) {
    assertThat(PrivateHosts.classify(host)).isEqualTo(Verdict.PRIVATE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com",
        "1.1.1.1",
        "[2606:4700:4700::1111]",
        "xn--bcher-kva.example",
        "a1.b2",
        "example.0x1g"
      })
  void classifiesPublicHosts(String host) {
    assertThat(PrivateHosts.classify(host)).isEqualTo(Verdict.PUBLIC);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.999", "example.0x", "[12345::]", "[::1::2]", ".", "foo.09"})
  void classifiesMalformedNumericHosts(String host) {
    assertThat(PrivateHosts.classify(host)).isEqualTo(Verdict.MALFORMED);
  }
}
