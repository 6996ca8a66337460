package dev.sluice.proxy.core.route;

import org.jspecify.annotations.Nullable;

/** The header operations {@link HeaderMutation} needs; the runtime adapts its header map. */
public interface MutableHeaders {

  /** The first value of {@code name}, or {@code null}. */
  @Nullable String get(String name);

  /** Adds a value, keeping existing ones. */
  void add(String name, String value);

  /** Replaces all values of {@code name} with {@code value}. */
  void set(String name, String value);

  /** Removes all values of {@code name}. */
  void remove(String name);
}
