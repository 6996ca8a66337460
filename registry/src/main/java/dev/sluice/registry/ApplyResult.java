package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.Resource;
import java.util.List;

/**
 * The outcome of applying one resource to a {@link ConfigStore}, in kubectl's words.
 *
 * @param messages the validation errors (for {@link Status#REJECTED}) or warnings
 */
public record ApplyResult(Resource.Key key, Status status, List<String> messages) {
  /** kubectl's verbs. */
  public enum Status {
    CREATED,
    CONFIGURED,
    UNCHANGED,
    DELETED,
    REJECTED
  }

  public ApplyResult {
    requireNonNull(key, "key");
    requireNonNull(status, "status");
    messages = List.copyOf(messages);
  }

  /** {@code virtualservice.networking.istio.io/reviews created}, as kubectl prints it. */
  public String line() {
    String group = key.kind().group();
    String head = key.kind().kind().toLowerCase(java.util.Locale.ROOT) + (group.isEmpty() ? "" : "." + group)
        + "/" + key.name();
    String verb = status.name().toLowerCase(java.util.Locale.ROOT);
    return messages.isEmpty() ? head + " " + verb : head + " " + verb + ": " + String.join("; ", messages);
  }
}
