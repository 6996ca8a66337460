package dev.sluice.config.analysis;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.validation.Level;
import java.util.Locale;

/**
 * An analyzer message code, such as {@code IST0101 ReferencedResourceNotFound (Error)}.
 *
 * @param code {@code ISTnnnn}
 * @param name Istio's name for it
 * @param level its severity
 */
public record MessageType(String code, String name, Level level) {
  public MessageType {
    requireNonNull(code, "code");
    requireNonNull(name, "name");
    requireNonNull(level, "level");
  }

  /** Istio's printf template for this code ({@code Referenced %s not found: %q}). */
  public String template() {
    return Messages.template(this);
  }

  /** The page of Istio's documentation that explains this code. */
  public String documentationUrl() {
    return "https://istio.io/latest/docs/reference/config/analysis/" + code.toLowerCase(Locale.ROOT) + "/";
  }
}
