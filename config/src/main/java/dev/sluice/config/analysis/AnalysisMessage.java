package dev.sluice.config.analysis;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.Origin;

/**
 * One analyzer finding about one resource.
 *
 * @param type the code, name and level
 * @param text the message, formatted from Istio's template for the code
 * @param resource Istio's friendly name of the resource ({@code VirtualService default/reviews})
 * @param origin where the resource (or the field concerned) was written; {@link Origin#NONE} if unknown
 */
public record AnalysisMessage(MessageType type, String text, String resource, Origin origin) {
  public AnalysisMessage {
    requireNonNull(type, "type");
    requireNonNull(text, "text");
    requireNonNull(resource, "resource");
    requireNonNull(origin, "origin");
  }

  /**
   * The line {@code istioctl analyze} prints:
   * {@code Error [IST0101] (VirtualService default/reviews-bogushost reviews.yaml:12) Referenced host not found: "reviews.bogus"}.
   */
  public String logLine() {
    String where = origin.toString();
    return type.level().display() + " [" + type.code() + "] (" + resource + (where.isEmpty() ? "" : " " + where)
        + ") " + text;
  }
}
