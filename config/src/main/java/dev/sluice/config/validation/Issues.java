package dev.sluice.config.validation;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Collects the findings of one validation run, in the order found. */
final class Issues {
  private final List<Issue> list = new ArrayList<>();

  void error(String path, @Nullable String message) {
    if (message != null) {
      list.add(Issue.error(path, message));
    }
  }

  void warn(String path, @Nullable String message) {
    if (message != null) {
      list.add(Issue.warning(path, message));
    }
  }

  void add(Issue issue) {
    list.add(issue);
  }

  void errors(String path, List<String> messages) {
    messages.forEach(m -> error(path, m));
  }

  boolean hasErrors() {
    return list.stream().anyMatch(i -> i.level() == Level.ERROR);
  }

  int size() {
    return list.size();
  }

  List<Issue> list() {
    return List.copyOf(list);
  }
}
