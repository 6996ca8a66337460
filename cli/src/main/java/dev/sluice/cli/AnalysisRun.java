package dev.sluice.cli;

import dev.sluice.config.LoadProblem;
import dev.sluice.config.Origin;
import dev.sluice.config.Resource;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.MessageType;
import dev.sluice.config.validation.Issue;
import dev.sluice.config.validation.Level;
import dev.sluice.config.validation.Validation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Connects {@code sluice analyze} to the analyzers of the config module. */
final class AnalysisRun {
  private static final MessageType SCHEMA_ERROR = new MessageType("IST0106", "SchemaValidationError", Level.ERROR);
  private static final MessageType SCHEMA_WARNING = new MessageType("IST0133", "SchemaWarning", Level.WARNING);

  private AnalysisRun() {}

  static List<AnalysisMessage> run(Inputs.Loaded loaded, String namespace, @Nullable String meshConfigFile,
      List<String> suppress, @Nullable PrintWriter verbose) {
    List<AnalysisMessage> out = new ArrayList<>();
    // Objects that did not fit their schema are findings too (IST0106), like istioctl's.
    for (LoadProblem p : loaded.raw().problems()) {
      if (!p.kind().isEmpty()) {
        String ns = p.namespace().isEmpty() ? namespace : p.namespace();
        out.add(new AnalysisMessage(SCHEMA_ERROR, "Schema validation error: " + p.message(),
            p.kind() + " " + ns + "/" + p.name(), p.origin()));
      }
    }
    out.addAll(analyze(loaded.resources(), meshConfigFile));
    return out;
  }

  static List<AnalysisMessage> analyze(List<Resource> resources, @Nullable String meshConfigFile) {
    List<AnalysisMessage> out = new ArrayList<>();
    for (Resource r : resources) {
      for (Issue i : Validation.validate(r).issues()) {
        MessageType type = i.level() == Level.ERROR ? SCHEMA_ERROR : SCHEMA_WARNING;
        String prefix = i.level() == Level.ERROR ? "Schema validation error: " : "Schema validation warning: ";
        Origin at = r.originOf(i.path());
        out.add(new AnalysisMessage(type, prefix + i.message(), r.friendlyName(), at));
      }
    }
    return out;
  }
}
