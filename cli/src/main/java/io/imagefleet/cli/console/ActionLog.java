package io.imagefleet.cli.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * The newest actions read back from the audit topic, bounded like the other views.
 *
 * <p>Written by the feed thread, read by the HTTP threads: every method holds this object's lock,
 * and what leaves it is immutable.
 */
final class ActionLog {
  private final int max;
  private final Deque<ActionRecord> actions = new ArrayDeque<>();

  ActionLog(int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("max must be > 0, but was " + max);
    }
    this.max = max;
  }

  synchronized void add(ActionRecord action) {
    actions.addLast(action);
    while (actions.size() > max) {
      actions.pollFirst();
    }
  }

  synchronized List<ActionRecord> newestFirst() {
    List<ActionRecord> list = new ArrayList<>(actions);
    Collections.reverse(list);
    return List.copyOf(list);
  }
}
