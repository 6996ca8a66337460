package dev.sluice.config.analysis;

import dev.sluice.config.ResourceKind;
import java.util.List;
import java.util.Set;

/**
 * One of Istio's analyzers: a pure function from a {@link Snapshot} of resources to findings.
 * Implementations are listed by {@link dev.sluice.config.analysis.analyzers.Analyzers#all()}.
 */
public interface Analyzer {
  /** Istio's {@code Metadata().Name}, such as {@code virtualservice.DestinationHostAnalyzer}. */
  String name();

  /** What it checks, one sentence. */
  String description();

  /** The kinds it reads (Istio's {@code Metadata().Inputs}, as far as Sluice models them). */
  Set<ResourceKind> inputs();

  /**
   * Inputs whose absence only makes the analyzer see less (it reports nothing false without them),
   * so that file-mode analysis need not skip it when the user supplied none of them.
   */
  default Set<ResourceKind> optionalInputs() {
    return Set.of();
  }

  /** The findings on {@code snapshot}, in any order; duplicates are removed by the caller. */
  List<AnalysisMessage> analyze(Snapshot snapshot);
}
