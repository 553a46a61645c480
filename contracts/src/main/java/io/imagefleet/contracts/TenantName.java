package io.imagefleet.contracts;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one canonical form of a tenant name: lowercase letters, digits and {@code -}, starting with a
 * letter or digit, at most {@value #MAX_CHARS} characters. There is no {@code _}: a tenant's
 * secrets, budget, topics and ACLs are named after it, and two spellings of one team ({@code
 * team-a} and {@code team_a}) would otherwise be two tenants sharing one environment variable.
 *
 * <p>Environment variables cannot hold {@code -}, so a variable spells a tenant with {@code _} in
 * its place ({@code IMAGEFLEET_CALLBACKS_SECRET_TEAM_A} is tenant {@code team-a}); since {@code _}
 * never occurs in a tenant name, that mapping is one to one in both directions. No dots either, so
 * a tenant's topics ({@link TenantTopics}) never lie under another tenant's prefix.
 */
public final class TenantName {
  /** Longest tenant name. */
  public static final int MAX_CHARS = 63;

  private static final Pattern CANONICAL =
      Pattern.compile("[a-z0-9][a-z0-9-]{0," + (MAX_CHARS - 1) + "}");

  /** The rule in words, for messages. */
  public static final String RULE =
      "lowercase letters, digits and '-', starting with a letter or digit, at most "
          + MAX_CHARS
          + " characters";

  private TenantName() {}

  /** True when {@code name} is a tenant name in its canonical form. */
  public static boolean isCanonical(String name) {
    return name != null && CANONICAL.matcher(name).matches();
  }

  /**
   * The tenant an environment variable's suffix names: {@code TEAM_A} is {@code team-a}. The result
   * is not checked; pass it to {@link #isCanonical}.
   */
  public static String fromEnvironment(String suffix) {
    return suffix.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
