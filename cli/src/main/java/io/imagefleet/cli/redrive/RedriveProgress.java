package io.imagefleet.cli.redrive;

import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * What the redrive group knows of one dead-letter partition: every letter below {@code next} was
 * redriven or passed over by {@code imagefleet dlq redrive}, and the letters in {@code singles}
 * (all at or above {@code next}) were redriven one by one from the console. Kept in the group's
 * committed offset and its metadata, so that the CLI and the console read the same answer to "was
 * this letter redriven?" and neither republishes one twice.
 *
 * <p>Immutable.
 *
 * @param next the group's committed offset: the first letter not yet dealt with by a CLI run
 * @param singles letters at or above {@code next} redriven singly
 */
public record RedriveProgress(long next, NavigableSet<Long> singles) {
  /**
   * Kafka keeps at most {@code offset.metadata.max.bytes} (4096 by default) of metadata per
   * partition; this many offsets of up to 19 digits fit with room to spare.
   */
  public static final int MAX_SINGLES = 150;

  private static final String PREFIX = "redriven:";

  public RedriveProgress {
    if (next < 0) {
      throw new IllegalArgumentException("next must be >= 0, but was " + next);
    }
    TreeSet<Long> copy = new TreeSet<>(singles.tailSet(next, true));
    singles = Collections.unmodifiableNavigableSet(copy);
  }

  /** What the group committed; nothing committed means nothing was redriven yet. */
  public static RedriveProgress of(OffsetAndMetadata committed) {
    if (committed == null) {
      return new RedriveProgress(0, new TreeSet<>());
    }
    TreeSet<Long> singles = new TreeSet<>();
    String metadata = committed.metadata();
    if (metadata != null && metadata.startsWith(PREFIX) && metadata.length() > PREFIX.length()) {
      for (String offset : metadata.substring(PREFIX.length()).split(",")) {
        singles.add(Long.parseLong(offset));
      }
    }
    return new RedriveProgress(committed.offset(), singles);
  }

  /** Whether the letter at {@code offset} was redriven (or passed over by a CLI run). */
  public boolean covers(long offset) {
    return offset < next || singles.contains(offset);
  }

  /**
   * With the letter at {@code offset} redriven singly: the committed offset moves on when the
   * letter is the next one (and past any singles that then follow it without a gap).
   *
   * @throws IllegalStateException when the group cannot remember one more single letter
   */
  public RedriveProgress withSingle(long offset) {
    if (covers(offset)) {
      return this;
    }
    TreeSet<Long> more = new TreeSet<>(singles);
    more.add(offset);
    long moved = next;
    while (more.remove(moved)) {
      moved++;
    }
    if (more.size() > MAX_SINGLES) {
      throw new IllegalStateException(
          MAX_SINGLES
              + " letters above offset "
              + next
              + " were already redriven one by one; redrive the rest with imagefleet dlq redrive");
    }
    return new RedriveProgress(moved, more);
  }

  /** After a CLI run that dealt with every letter below {@code passed}. */
  public RedriveProgress passedTo(long passed) {
    return new RedriveProgress(Math.max(next, passed), singles);
  }

  public OffsetAndMetadata toCommit() {
    return new OffsetAndMetadata(
        next,
        singles.isEmpty()
            ? ""
            : PREFIX + singles.stream().map(String::valueOf).collect(Collectors.joining(",")));
  }
}
