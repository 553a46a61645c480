package io.imagefleet.worker.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;

class PublicAddressResolverTest {

  @Test
  void passesAHostWhoseAddressesAreAllPublic() throws Exception {
    assertThat(resolve(false, "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")).isNotNull();
  }

  @Test
  void refusesLoopbackPrivateLinkLocalAndMetadataAddressesByDefault() throws Exception {
    for (String address :
        List.of(
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.9",
            "192.168.1.1",
            "169.254.169.254",
            "::1",
            "fd00::1",
            "fe80::1",
            "100.64.0.1",
            "0.0.0.0")) {
      assertThat(refusal(false, address))
          .as(address)
          .isInstanceOf(PublicAddressResolver.ForbiddenDestinationException.class)
          .hasMessageContaining("loopback, private, link-local or metadata");
    }
  }

  @Test
  void refusesTheHostWhenAnyOfItsAddressesIsPrivate() throws Exception {
    assertThat(refusal(false, "93.184.216.34", "10.0.0.5")).hasMessageContaining("10.0.0.5");
  }

  @Test
  void allowsLoopbackForALocalSimulatorButNeverTheMetadataService() throws Exception {
    assertThat(resolve(true, "127.0.0.1")).isNotNull();
    assertThat(resolve(true, "192.168.1.1")).isNotNull();
    assertThat(refusal(true, "169.254.169.254"))
        .isInstanceOf(PublicAddressResolver.ForbiddenDestinationException.class);
    assertThat(refusal(true, "fe80::1"))
        .isInstanceOf(PublicAddressResolver.ForbiddenDestinationException.class);
  }

  private static List<InetSocketAddress> resolve(boolean allowPrivate, String... addresses)
      throws Exception {
    return answer(allowPrivate, addresses).get();
  }

  private static Throwable refusal(boolean allowPrivate, String... addresses) {
    CompletableFuture<List<InetSocketAddress>> answer = answer(allowPrivate, addresses);
    assertThat(answer).isCompletedExceptionally();
    return answer.handle((ok, error) -> error).join();
  }

  /** Resolves "cdn.example" through a fake resolver that answers {@code addresses}. */
  private static CompletableFuture<List<InetSocketAddress>> answer(
      boolean allowPrivate, String... addresses) {
    SocketAddressResolver fake =
        (host, port, context, promise) ->
            promise.succeeded(
                List.of(addresses).stream()
                    .map(a -> new InetSocketAddress(literal(a), port))
                    .toList());
    CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
    new PublicAddressResolver(fake, PublicAddressResolver.forbidden(allowPrivate))
        .resolve("cdn.example", 443, Map.of(), Promise.from(result));
    return result;
  }

  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
