package io.imagefleet.contracts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells from a URL's host text alone whether it names a machine off the public internet: localhost
 * names and IP literals in loopback, private, link-local, CGNAT, unspecified, multicast or reserved
 * ranges, including IPv4 addresses embedded in IPv6 ones.
 *
 * <p>No DNS lookups: a name that resolves to a private address passes here, which is why the worker
 * checks the resolved address again when it sends. IPv4 literals are read the way browsers and many
 * resolvers read them ({@code 127.1}, {@code 0x7f000001}, {@code 2130706433}, octal parts), because
 * {@link java.net.URI} lets such hosts through and a resolver may still turn them into loopback.
 */
final class PrivateHosts {
  /** {@code PUBLIC} means "not known to be private": a name, or an IP literal in a public range. */
  enum Verdict {
    PUBLIC,
    PRIVATE,
    MALFORMED
  }

  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
  private static final Pattern ASCII_HEX = Pattern.compile("[0-9a-f]+");
  private static final Pattern IPV6_TEXT = Pattern.compile("[0-9a-f:.]+");

  private static final List<Cidr> PRIVATE_V4 =
      List.of(
          Cidr.of("0.0.0.0", 8), // unspecified, "this network"
          Cidr.of("10.0.0.0", 8), // private
          Cidr.of("100.64.0.0", 10), // carrier-grade NAT
          Cidr.of("127.0.0.0", 8), // loopback
          Cidr.of(
              "169.254.0.0", 16), // link-local, incl. the cloud metadata service 169.254.169.254
          Cidr.of("172.16.0.0", 12), // private
          Cidr.of("192.168.0.0", 16), // private
          Cidr.of("224.0.0.0", 4), // multicast
          Cidr.of("240.0.0.0", 4)); // reserved, incl. broadcast
  private static final List<Cidr> PRIVATE_V6 =
      List.of(
          Cidr.of("::", 128), // unspecified
          Cidr.of("::1", 128), // loopback
          Cidr.of("fc00::", 7), // unique local
          Cidr.of("fe80::", 10), // link-local
          Cidr.of("fec0::", 10), // site-local (deprecated, still routable inside sites)
          Cidr.of("ff00::", 8)); // multicast

  /**
   * IPv6 prefixes whose last 32 bits are an IPv4 address that decides the verdict. IPv4-mapped
   * addresses ({@code ::ffff:0:0/96}) are not listed: {@link InetAddress} already returns them as
   * IPv4 addresses, so they meet the IPv4 ranges directly.
   */
  private static final List<Cidr> EMBEDS_V4 =
      List.of(
          Cidr.of("::", 96), // IPv4-compatible (deprecated)
          Cidr.of("64:ff9b::", 96)); // NAT64 well-known prefix

  private PrivateHosts() {}

  /** Classifies {@code host} as {@link java.net.URI#getHost()} returns it (IPv6 in brackets). */
  static Verdict classify(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      return ipv6(h.substring(1, h.length() - 1));
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty()) {
      return Verdict.MALFORMED;
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return Verdict.PRIVATE;
    }
    if (NUMERIC_LABEL.matcher(h.substring(h.lastIndexOf('.') + 1)).matches()) {
      byte[] v4 = parseIpv4(h);
      return v4 == null ? Verdict.MALFORMED : verdict(v4);
    }
    return Verdict.PUBLIC;
  }

  private static Verdict ipv6(String text) {
    if (text.contains("%")) {
      return Verdict.PRIVATE; // a zone id: scoped to one link, never a public address
    }
    if (!IPV6_TEXT.matcher(text).matches()) {
      return Verdict.MALFORMED;
    }
    byte[] address = parseIpv6(text);
    return address == null ? Verdict.MALFORMED : verdict(address);
  }

  /** Whether a resolved address (4 or 16 bytes) is in one of the local or private ranges above. */
  static boolean isPrivateAddress(byte[] address) {
    return verdict(address) == Verdict.PRIVATE;
  }

  private static Verdict verdict(byte[] address) {
    if (address.length == 4) {
      return PRIVATE_V4.stream().anyMatch(c -> c.contains(address))
          ? Verdict.PRIVATE
          : Verdict.PUBLIC;
    }
    if (PRIVATE_V6.stream().anyMatch(c -> c.contains(address))) {
      return Verdict.PRIVATE;
    }
    if (EMBEDS_V4.stream().anyMatch(c -> c.contains(address))) {
      return verdict(Arrays.copyOfRange(address, 12, 16));
    }
    return Verdict.PUBLIC;
  }

  /**
   * Reads an IPv4 literal of one to four dot-separated parts, each decimal, octal (leading 0) or
   * hex (leading 0x); the last part fills the remaining bytes. Null when it is not one.
   */
  static byte[] parseIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long value = 0;
    for (int i = 0; i < parts.length; i++) {
      long part = number(parts[i]);
      boolean last = i == parts.length - 1;
      long max = last ? (1L << (8 * (4 - i))) - 1 : 255;
      if (part < 0 || part > max) {
        return null;
      }
      value = last ? value | part : value | (part << (8 * (3 - i)));
    }
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  private static long number(String part) {
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x")) {
      radix = 16;
      digits = part.substring(2);
      if (digits.isEmpty()) {
        return 0;
      }
    } else if (part.length() > 1 && part.startsWith("0")) {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.length() > 12 || !ASCII_HEX.matcher(digits).matches()) {
      return -1;
    }
    try {
      return Long.parseLong(digits, radix);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Parses an IPv6 literal (no brackets); IPv4-mapped ones come back as 4 bytes. Null when it is
   * not one.
   */
  private static byte[] parseIpv6(String text) {
    try {
      // In brackets, InetAddress only parses the literal: it never falls back to a DNS lookup.
      return InetAddress.getByName("[" + text + "]").getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** A network prefix. */
  private record Cidr(byte[] network, int bits) {
    static Cidr of(String literal, int bits) {
      return new Cidr(literal.contains(":") ? parseIpv6(literal) : parseIpv4(literal), bits);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}
