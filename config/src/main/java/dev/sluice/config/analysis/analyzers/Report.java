package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.MessageType;
import dev.sluice.config.analysis.Messages;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Collects the messages of one analyzer run (local to that run). */
final class Report {
  private final List<AnalysisMessage> messages = new ArrayList<>();

  /**
   * Adds a message about {@code r}, placed at the line of {@code field} (such as
   * {@code spec.http[0].route[1].destination.host}), or of the resource when null.
   */
  void add(Resource r, @Nullable String field, MessageType type, Object... args) {
    messages.add(new AnalysisMessage(type, Messages.format(type, args), r.friendlyName(),
        field == null ? r.origin() : r.originOf(field)));
  }

  /** Adds a message whose text was already formatted (validation findings with their own code). */
  void addText(Resource r, @Nullable String field, MessageType type, String text) {
    messages.add(new AnalysisMessage(type, text, r.friendlyName(), field == null ? r.origin() : r.originOf(field)));
  }

  List<AnalysisMessage> messages() {
    return List.copyOf(messages);
  }
}
