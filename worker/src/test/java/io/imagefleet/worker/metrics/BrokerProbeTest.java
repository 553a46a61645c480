package io.imagefleet.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class BrokerProbeTest {
  private final BrokerProbe probe = new BrokerProbe(null, "broker-1:9093", Duration.ofSeconds(3));

  @Test
  void isNotReadyBeforeTheFirstAnswer() {
    assertThat(probe.notReadyReason()).contains(BrokerProbe.NOT_YET);
  }

  @Test
  void saysRefusedCredentialsAreCredentialsAndWhichSettingsToCheck() {
    assertThat(
            probe.describe(
                new SaslAuthenticationException(
                    "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")))
        .isEqualTo(
            "Kafka at broker-1:9093 refused this worker's credentials (SaslAuthenticationException: "
                + "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512);"
                + " check kafka.security.protocol, kafka.sasl.mechanism, kafka.sasl.jaas.config and kafka.ssl.*");
    assertThat(probe.describe(new SslAuthenticationException("SSL handshake failed")))
        .startsWith(
            "Kafka at broker-1:9093 refused this worker's credentials (SslAuthenticationException");
  }

  @Test
  void saysADeniedPrincipalNeedsAcls() {
    assertThat(probe.describe(new TopicAuthorizationException("Not authorized")))
        .contains("check the ACLs");
  }

  @Test
  void saysASilentBrokerIsUnreachable() {
    assertThat(probe.describe(new TimeoutException()))
        .isEqualTo("Kafka unreachable at broker-1:9093: no answer within 3000 ms");
    assertThat(
            probe.describe(
                new org.apache.kafka.common.errors.TimeoutException(
                    "Timed out waiting for a node")))
        .isEqualTo("Kafka unreachable at broker-1:9093: no answer within 3000 ms");
  }
}
