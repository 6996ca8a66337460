package dev.sluice.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Copies for record components: null becomes empty, order is kept, the result is unmodifiable. */
public final class Immutables {
  private Immutables() {}

  /** An unmodifiable copy of {@code list}; null gives an empty list; null elements are refused. */
  public static <T> List<T> list(@Nullable List<T> list) {
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    for (T t : list) {
      if (t == null) {
        throw new IllegalArgumentException("list entries must not be null");
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(list));
  }

  /** An unmodifiable copy of {@code map} in its original order; null gives an empty map. */
  public static <K, V> Map<K, V> map(@Nullable Map<K, V> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** Like {@link #map} but keeps null (absent) distinct from an empty map. */
  public static <K, V> @Nullable Map<K, V> nullableMap(@Nullable Map<K, V> map) {
    return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
