package dev.sluice.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What reading some YAML produced: the resources, the documents that failed, and the objects of
 * kinds Sluice does not model.
 */
public record LoadResult(List<Resource> resources, List<LoadProblem> problems, List<UnknownObject> unknown) {
  public LoadResult {
    resources = List.copyOf(resources);
    problems = List.copyOf(problems);
    unknown = List.copyOf(unknown);
  }

  public static LoadResult empty() {
    return new LoadResult(List.of(), List.of(), List.of());
  }

  /** Both results together, this one first. */
  public LoadResult plus(LoadResult other) {
    return new LoadResult(concat(resources, other.resources), concat(problems, other.problems),
        concat(unknown, other.unknown));
  }

  /**
   * One line per unknown {@code apiVersion kind}, with how many objects and the first place, so
   * that each unknown kind is reported once.
   */
  public List<String> unknownKindSummary() {
    Map<String, List<UnknownObject>> byKind = new LinkedHashMap<>();
    for (UnknownObject u : unknown) {
      byKind.computeIfAbsent(u.apiVersion() + " " + u.kind(), k -> new ArrayList<>()).add(u);
    }
    return byKind.values().stream()
        .map(objects -> {
          UnknownObject first = objects.getFirst();
          return "unknown kind \"" + first.kind() + "\" (apiVersion " + first.apiVersion() + "): "
              + objects.size() + (objects.size() == 1 ? " object" : " objects") + ", first at " + first.origin()
              + "; not modelled by Sluice, ignored";
        })
        .toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    if (b.isEmpty()) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    var out = new ArrayList<T>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }
}
