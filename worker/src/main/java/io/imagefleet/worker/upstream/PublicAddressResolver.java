package io.imagefleet.worker.upstream;

import io.imagefleet.contracts.PrivateAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Resolves the host of a result link and refuses it when any address it resolves to is forbidden.
 * The check sits in the HTTP client's own resolution, so it judges the very addresses the client
 * then connects to: a name that passed a check earlier cannot be re-pointed in between, and a link
 * with a private IP literal meets the same rule as a name.
 */
final class PublicAddressResolver implements SocketAddressResolver {
  private final SocketAddressResolver delegate;
  private final Predicate<InetAddress> forbidden;

  PublicAddressResolver(SocketAddressResolver delegate, Predicate<InetAddress> forbidden) {
    this.delegate = delegate;
    this.forbidden = forbidden;
  }

  /**
   * Off the public internet (loopback, private, link-local, metadata...), or with private addresses
   * allowed for a local simulator, link-local only: the cloud metadata service lives there.
   */
  static Predicate<InetAddress> forbidden(boolean allowPrivate) {
    return allowPrivate ? InetAddress::isLinkLocalAddress : PrivateAddresses::isPrivate;
  }

  @Override
  public void resolve(
      String host,
      int port,
      Map<String, Object> context,
      Promise<List<InetSocketAddress>> promise) {
    delegate.resolve(
        host,
        port,
        context,
        new Promise<>() {
          @Override
          public void succeeded(List<InetSocketAddress> addresses) {
            for (InetSocketAddress address : addresses) {
              if (address.getAddress() == null || forbidden.test(address.getAddress())) {
                promise.failed(new ForbiddenDestinationException(address.getAddress()));
                return;
              }
            }
            promise.succeeded(addresses);
          }

          @Override
          public void failed(Throwable error) {
            promise.failed(error);
          }
        });
  }

  /** A result link whose host resolves to an address the worker does not download from. */
  static final class ForbiddenDestinationException extends IOException {
    ForbiddenDestinationException(InetAddress address) {
      // The address only: the host name is the upstream's text, of any length and content.
      super(
          "a result link resolves to "
              + (address == null ? "an unresolved address" : address.getHostAddress())
              + ", a loopback, private, link-local or metadata address");
    }
  }
}
