package dev.sluice.config.analysis;

import dev.sluice.config.validation.Level;
import java.util.List;

/**
 * What an analysis found, sorted as istioctl prints (level, code, resource) and without duplicates,
 * and the analyzers that did not run.
 */
public record AnalysisResult(List<AnalysisMessage> messages, List<SkippedAnalyzer> skipped) {
  public AnalysisResult {
    messages = List.copyOf(messages);
    skipped = List.copyOf(skipped);
  }

  /** Whether any message is at least as severe as {@code threshold} (istioctl exits 79 then). */
  public boolean reaches(Level threshold) {
    return messages.stream().anyMatch(m -> m.type().level().atLeast(threshold));
  }

  /** An analyzer that file-mode analysis skipped, and why (the CLI prints this with {@code -v}). */
  public record SkippedAnalyzer(String analyzer, String reason) {
    public SkippedAnalyzer {
      java.util.Objects.requireNonNull(analyzer, "analyzer");
      java.util.Objects.requireNonNull(reason, "reason");
    }
  }
}
