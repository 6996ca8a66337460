package dev.sluice.config.yaml;

import dev.sluice.config.Origin;

/** Input that is not YAML, or YAML that breaks one of the {@link YamlLimits}. */
public final class YamlException extends Exception {
  private final Origin origin;

  public YamlException(Origin origin, String message) {
    super(message, null, false, false);
    this.origin = origin;
  }

  /** Where the problem was found (file, and line when known). */
  public Origin origin() {
    return origin;
  }
}
