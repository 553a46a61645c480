package io.imagefleet.contracts;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Whether an address is off the public internet: loopback, private, link-local (cloud metadata
 * services included), CGNAT, unique-local, unspecified, multicast or reserved, including IPv4
 * addresses embedded in IPv6 ones.
 *
 * <p>Public so that whoever connects to a URL a job named can check the address it resolved to, at
 * send time: the job validator only sees host text, and a public-looking name can resolve (or be
 * re-pointed) to a private address. One list of ranges serves both checks.
 */
public final class PrivateAddresses {
  private PrivateAddresses() {}

  /** True for any address outside the public internet, as listed in the class comment. */
  public static boolean isPrivate(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
      return true; // scoped to one link: never a public destination
    }
    return PrivateHosts.isPrivateAddress(address.getAddress());
  }

  /**
   * True when a URL's host text ({@link java.net.URI#getHost()}, IPv6 in brackets) is a localhost
   * name or an IP literal in a private range, or is not a valid host at all. No DNS lookup.
   */
  public static boolean isPrivateHost(String host) {
    return PrivateHosts.classify(host) != PrivateHosts.Verdict.PUBLIC;
  }
}
