package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

/**
 * One header to add, with Envoy's append action. The legacy {@code append} flag maps to {@link
 * AppendAction#APPEND_IF_EXISTS_OR_ADD} (true, the default) or {@link
 * AppendAction#OVERWRITE_IF_EXISTS_OR_ADD} (false). An empty value is skipped unless {@code
 * keepEmptyValue}.
 */
public record HeaderValueOption(
    String name, String value, AppendAction action, boolean keepEmptyValue) {

  /** What to do when the header already exists, as Envoy's {@code HeaderAppendAction}. */
  public enum AppendAction {
    APPEND_IF_EXISTS_OR_ADD,
    ADD_IF_ABSENT,
    OVERWRITE_IF_EXISTS_OR_ADD,
    OVERWRITE_IF_EXISTS
  }

  public HeaderValueOption {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    requireNonNull(action, "action");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("header.key: \"\" (expected: a header name)");
    }
  }

  /** Applies this option to {@code headers}. */
  public void apply(MutableHeaders headers) {
    if (value.isEmpty() && !keepEmptyValue) {
      return;
    }
    switch (action) {
      case APPEND_IF_EXISTS_OR_ADD -> headers.add(name, value);
      case ADD_IF_ABSENT -> {
        if (headers.get(name) == null) {
          headers.add(name, value);
        }
      }
      case OVERWRITE_IF_EXISTS_OR_ADD -> headers.set(name, value);
      case OVERWRITE_IF_EXISTS -> {
        if (headers.get(name) != null) {
          headers.set(name, value);
        }
      }
    }
  }
}
