package io.imagefleet.cli.console;

import io.imagefleet.contracts.TenantName;
import io.imagefleet.worker.config.S3Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the console runs: where it listens, who may look, which topics it reads, how much it keeps
 * and what it may change. Validated once at start, with messages that name the option.
 *
 * @param bind the address to listen on; loopback unless a token is set
 * @param port the port, 0 for a free one
 * @param token the token a browser must present, required on any address but loopback
 * @param maxJobs jobs kept in memory (the newest by their last event)
 * @param maxDeadLetters dead letters kept in memory (the newest)
 * @param window events (and dead letters) read back per partition at start
 * @param eventsTopic the fleet's events topic
 * @param workersTopic the workers' heartbeats (compacted)
 * @param deadLettersTopic the dead-letter topic
 * @param group the workers' consumer group, for which worker owns which partitions
 * @param storageDirectory the workers' {@code storage.directory}: the only directory images are
 *     read from
 * @param budgetsTopic the budget ledger topic, for each tenant's spend against its budget
 * @param callbacksTopic the callbacks-owed topic (compacted), for callback deliveries
 * @param staleAfter a worker not heard from for this long is marked stale and left out of sums
 * @param s3 the workers' bucket ({@code storage.s3.*}), when they store there: the only bucket (and
 *     prefix) images are read from, with these credentials
 * @param tenantTokens per-tenant access: each tenant's token, which shows that tenant only
 * @param actions what the page may change, and where that is recorded
 */
public record ConsoleSettings(
    String bind,
    int port,
    Optional<String> token,
    int maxJobs,
    int maxDeadLetters,
    int window,
    String eventsTopic,
    String workersTopic,
    String deadLettersTopic,
    String group,
    Path storageDirectory,
    String budgetsTopic,
    String callbacksTopic,
    Duration staleAfter,
    Optional<S3Settings> s3,
    Map<String, String> tenantTokens,
    ActionSettings actions) {

  /** Shorter tokens are guessable by anyone who can reach the port. */
  static final int MIN_TOKEN_CHARS = 16;

  public ConsoleSettings {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(eventsTopic, "eventsTopic");
    Objects.requireNonNull(workersTopic, "workersTopic");
    Objects.requireNonNull(deadLettersTopic, "deadLettersTopic");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(storageDirectory, "storageDirectory");
    Objects.requireNonNull(budgetsTopic, "budgetsTopic");
    Objects.requireNonNull(callbacksTopic, "callbacksTopic");
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(s3, "s3");
    Map<String, String> stripped = new TreeMap<>();
    if (tenantTokens != null) {
      tenantTokens.forEach((tenant, t) -> stripped.put(tenant, t == null ? "" : t.strip()));
    }
    tenantTokens = Map.copyOf(stripped);
    Set<String> distinct = new HashSet<>();
    token.ifPresent(distinct::add);
    for (var e : tenantTokens.entrySet()) {
      if (!TenantName.isCanonical(e.getKey())) {
        throw new IllegalArgumentException(
            "--tenant-tokens: " + e.getKey() + " is not a tenant name");
      }
      if (e.getValue().length() < MIN_TOKEN_CHARS) {
        throw new IllegalArgumentException(
            "--tenant-tokens: the token of "
                + e.getKey()
                + " must have at least "
                + MIN_TOKEN_CHARS
                + " characters");
      }
      if (!distinct.add(e.getValue())) {
        // One token for two viewers would show whichever came first.
        throw new IllegalArgumentException(
            "--tenant-tokens: the token of " + e.getKey() + " is also another viewer's");
      }
    }
    Objects.requireNonNull(actions, "actions");
    token = token == null ? Optional.empty() : token.map(String::strip).filter(t -> !t.isEmpty());
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0 to 65535, but was " + port);
    }
    if (maxJobs <= 0) {
      throw new IllegalArgumentException("--jobs must be > 0, but was " + maxJobs);
    }
    if (maxDeadLetters <= 0) {
      throw new IllegalArgumentException("--dead-letters must be > 0, but was " + maxDeadLetters);
    }
    if (staleAfter.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "--stale-after must be at least 1s, but was " + staleAfter);
    }
    if (window < 0) {
      throw new IllegalArgumentException("--window must be >= 0, but was " + window);
    }
    if (token.isPresent() && token.get().length() < MIN_TOKEN_CHARS) {
      throw new IllegalArgumentException(
          "the console token must have at least "
              + MIN_TOKEN_CHARS
              + " characters, but has "
              + token.get().length());
    }
    if (token.isEmpty() && tenantTokens.isEmpty() && !isLoopback(bind)) {
      // Anyone who reaches the port would see every tenant's jobs and images.
      throw new IllegalArgumentException(
          "the console would listen on "
              + bind
              + ", which is not a loopback address, without a token: give it one"
              + " (--token-file FILE or the environment variable IMAGEFLEET_CONSOLE_TOKEN), or"
              + " bind to 127.0.0.1");
    }
  }

  static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + host + " is not a known address", e);
    }
  }
}
