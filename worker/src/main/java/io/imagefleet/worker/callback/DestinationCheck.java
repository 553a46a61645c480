package io.imagefleet.worker.callback;

import io.imagefleet.contracts.PrivateAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Resolves a callback's host at send time and refuses it when ANY address it resolves to is
 * loopback, private, link-local (the cloud metadata service included) or otherwise not public.
 *
 * <p>The job validator already refused such literal hosts; this check covers names, whose answers
 * the job's author controls and can change between validation and sending. Refusing when any answer
 * is private (not only the first) leaves no choice to a resolver or a retry.
 */
final class DestinationCheck {
  /** Host name to addresses; {@link InetAddress#getAllByName} in production. */
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final Resolver resolver;
  private final Map<String, List<InetAddress>> fixed;
  private final Predicate<InetAddress> forbidden;

  /**
   * @param fixed configured answers ({@code callbacks.resolve.<host>}), checked like any other
   * @param forbidden which addresses may not be contacted; none in development mode
   */
  DestinationCheck(
      Resolver resolver, Map<String, List<InetAddress>> fixed, Predicate<InetAddress> forbidden) {
    this.resolver = resolver;
    this.fixed = fixed;
    this.forbidden = forbidden;
  }

  static Predicate<InetAddress> privateAddresses() {
    return PrivateAddresses::isPrivate;
  }

  /**
   * @throws UnknownHostException when the name does not resolve (worth another attempt later)
   */
  Destination check(String host) throws UnknownHostException {
    String name =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    List<InetAddress> answers = fixed.get(name.toLowerCase(Locale.ROOT));
    InetAddress[] addresses =
        answers != null ? answers.toArray(InetAddress[]::new) : resolver.resolve(name);
    if (addresses.length == 0) {
      throw new UnknownHostException(name + " has no address");
    }
    for (InetAddress address : addresses) {
      if (forbidden.test(address)) {
        return new Destination.Refused(
            name
                + " resolves to "
                + address.getHostAddress()
                + ", a loopback, private, link-local or metadata address");
      }
    }
    return new Destination.Vetted(addresses[0]);
  }
}
