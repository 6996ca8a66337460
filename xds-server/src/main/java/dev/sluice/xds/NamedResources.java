package dev.sluice.xds;

import com.google.protobuf.Any;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An immutable response list that knows each resource's name, so that comparing two of them
 * (which RDS or EDS resources changed?) never decodes an {@code Any} to learn its name.
 */
final class NamedResources extends AbstractList<Any> implements RandomAccess {
  private final String[] names;
  private final Any[] resources;
  // The list this one was derived from by with(), and the positions it replaced: what changed
  // between the two is then known without comparing every element. Weak, so that lists derived
  // push after push do not keep each other alive.
  private final java.lang.ref.@org.jspecify.annotations.Nullable WeakReference<NamedResources> origin;
  private final int[] replaced;

  NamedResources(String[] names, Any[] resources) {
    this(names, resources, null, new int[0]);
  }

  private NamedResources(String[] names, Any[] resources,
      java.lang.ref.@org.jspecify.annotations.Nullable WeakReference<NamedResources> origin, int[] replaced) {
    if (names.length != resources.length) {
      throw new IllegalArgumentException("names: " + names.length + " (expected: one per resource, "
          + resources.length + ")");
    }
    this.names = names;
    this.resources = resources;
    this.origin = origin;
    this.replaced = replaced;
  }

  @Override
  public Any get(int index) {
    return resources[index];
  }

  @Override
  public int size() {
    return resources.length;
  }

  /** This list with the resources named in {@code replacements} replaced (the same list when none is here). */
  NamedResources with(java.util.Map<String, Any> replacements) {
    Any[] out = null;
    int[] at = new int[Math.min(names.length, replacements.size())];
    int count = 0;
    for (int i = 0; i < names.length && count < at.length; i++) {
      Any r = replacements.get(names[i]);
      if (r != null) {
        if (out == null) {
          out = resources.clone();
        }
        out[i] = r;
        at[count++] = i;
      }
    }
    return out == null ? this
        : new NamedResources(names, out, new java.lang.ref.WeakReference<>(this), java.util.Arrays.copyOf(at, count));
  }

  /**
   * The resources of this list that differ from those of {@code before}, when this list was made
   * from {@code before} by {@link #with}; null when it was not (then compare element by element).
   */
  java.util.@org.jspecify.annotations.Nullable List<Any> changedSince(java.util.List<Any> before) {
    if (origin == null || origin.get() != before) {
      return null;
    }
    java.util.List<Any> out = new java.util.ArrayList<>(replaced.length);
    for (int i : replaced) {
      if (!resources[i].equals(before.get(i))) {
        out.add(resources[i]);
      }
    }
    return java.util.List.copyOf(out);
  }

  /** The name of the resource at {@code index}. */
  String name(int index) {
    return names[index];
  }
}
