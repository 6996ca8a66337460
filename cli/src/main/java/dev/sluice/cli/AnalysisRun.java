package dev.sluice.cli;

import dev.sluice.config.LoadProblem;
import dev.sluice.config.Resource;
import dev.sluice.config.analysis.Analysis;
import dev.sluice.config.analysis.AnalysisInput;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.AnalysisResult;
import dev.sluice.config.analysis.MeshConfig;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.analyzers.Analyzers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Connects {@code sluice analyze} to the analyzers of the config module. */
final class AnalysisRun {
  private AnalysisRun() {}

  /**
   * Analyzes what was loaded. Objects that did not fit their schema become IST0106 findings, as
   * in istioctl; the rest go through every analyzer (or the ones named).
   */
  static List<AnalysisMessage> run(Inputs.Loaded loaded, String namespace, MeshConfig mesh,
      List<String> analyzerNames, @Nullable PrintWriter verbose) {
    List<AnalysisMessage> out = new ArrayList<>();
    for (LoadProblem p : loaded.raw().problems()) {
      if (!p.kind().isEmpty()) {
        String ns = p.namespace().isEmpty() ? namespace : p.namespace();
        out.add(new AnalysisMessage(Messages.byCode("IST0106").orElseThrow(), "Schema validation error: " + p.message(),
            p.kind() + " " + ns + "/" + p.name(), p.origin()));
      }
    }
    AnalysisResult result = Analysis.run(AnalysisInput.files(loaded.resources())
        .withMeshConfig(mesh)
        .withAnalyzers(Analyzers.select(analyzerNames)));
    if (verbose != null) {
      for (AnalysisResult.SkippedAnalyzer s : result.skipped()) {
        verbose.println("Skipping analyzer \"" + s.analyzer() + "\": " + s.reason());
      }
    }
    out.addAll(result.messages());
    return out;
  }

  /** Reads {@code --meshConfigFile}, or Istio's defaults without one. */
  static MeshConfig meshConfig(@Nullable String file) throws IOException {
    return file == null ? MeshConfig.defaults() : MeshConfig.parse(Files.readString(Path.of(file)));
  }

  /** A full analysis for the AOT training run. */
  static void train(List<Resource> resources) {
    Analysis.analyze(AnalysisInput.files(resources));
  }
}
