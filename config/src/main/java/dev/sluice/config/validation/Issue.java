package dev.sluice.config.validation;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One validation finding about a resource.
 *
 * @param level {@link Level#ERROR} rejects the resource; warnings and infos are reported only
 * @param message Istio's text for it (for example {@code duration must be greater than 1ms})
 * @param path the field it concerns, as {@code spec.http[0].timeout} ({@code ""} for the whole
 *     resource); used to point at the line
 * @param code an analyzer code when the finding has its own (IST0130, IST0131), else null, which
 *     analysis reports as IST0106 (errors) or IST0133 (warnings)
 */
public record Issue(Level level, String message, String path, @Nullable String code) {
  public Issue {
    requireNonNull(level, "level");
    requireNonNull(message, "message");
    requireNonNull(path, "path");
  }

  public static Issue error(String path, String message) {
    return new Issue(Level.ERROR, message, path, null);
  }

  public static Issue warning(String path, String message) {
    return new Issue(Level.WARNING, message, path, null);
  }
}
