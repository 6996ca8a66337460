package dev.sluice.platform.local;

import java.util.ArrayDeque;
import java.util.List;

/** The last lines a pod's app printed ({@code sluice logs}); bounded so a chatty app cannot fill the heap. */
final class LogBuffer {
  private static final int MAX_LINES = 5_000;

  private final ArrayDeque<String> lines = new ArrayDeque<>();

  synchronized void add(String line) {
    if (lines.size() == MAX_LINES) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
