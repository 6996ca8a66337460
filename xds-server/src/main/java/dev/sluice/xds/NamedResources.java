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

  NamedResources(String[] names, Any[] resources) {
    if (names.length != resources.length) {
      throw new IllegalArgumentException("names: " + names.length + " (expected: one per resource, "
          + resources.length + ")");
    }
    this.names = names;
    this.resources = resources;
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
    for (int i = 0; i < names.length; i++) {
      Any r = replacements.get(names[i]);
      if (r != null) {
        if (out == null) {
          out = resources.clone();
        }
        out[i] = r;
      }
    }
    return out == null ? this : new NamedResources(names, out);
  }

  /** The name of the resource at {@code index}. */
  String name(int index) {
    return names[index];
  }
}
