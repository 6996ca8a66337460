package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sluice.config.Resource;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.MeshConfig;
import dev.sluice.config.analysis.MessageFilter;
import dev.sluice.config.analysis.analyzers.Analyzers;
import java.io.IOException;
import dev.sluice.config.validation.Level;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice analyze}: Istio's analyzers ({@code istioctl analyze}) over configuration files,
 * with istioctl's output formats, thresholds and exit codes.
 */
@Command(
    name = "analyze",
    description = {
        "Analyzes Istio configuration files with Istio's analyzers (istioctl analyze).",
        "Findings are printed as istioctl prints them:",
        "  Error [IST0101] (VirtualService default/reviews reviews.yaml:12) Referenced host not found: \"reviews.bogus\"",
        "Files are analyzed without a cluster. Analyzers that need Kubernetes objects (Services, Pods,"
            + " Secrets, Namespaces) run only when the files supply them; Deployments stand in for their Pods."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:no finding at or above the failure threshold",
        "64:bad usage",
        "65:some input could not be read as Kubernetes/Istio objects",
        "79:findings at or above the failure threshold"
    })
final class AnalyzeCommand implements Callable<Integer> {
  /** istioctl's {@code ExitAnalyzerFoundIssues}. */
  static final int EXIT_FOUND_ISSUES = 79;

  @Parameters(paramLabel = "FILE|DIR", arity = "0..*",
      description = "Files or directories (.yaml, .yml, .json) to analyze; '-' reads standard input.")
  List<String> paths = List.of();

  @Option(names = {"-n", "--namespace"}, defaultValue = "default",
      description = "Namespace to analyze, and the namespace of resources that name none (default: ${DEFAULT-VALUE}).")
  String namespace = "default";

  @Option(names = {"-A", "--all-namespaces"}, description = "Report findings in every namespace.")
  boolean allNamespaces;

  @Option(names = {"-o", "--output"}, defaultValue = "log",
      description = "Output format: log, json or yaml (default: ${DEFAULT-VALUE}).")
  String output = "log";

  @Option(names = "--failure-threshold", defaultValue = "Error",
      description = "Lowest level that makes the command exit with 79: Info, Warning or Error (default: ${DEFAULT-VALUE}).")
  String failureThreshold = "Error";

  @Option(names = "--output-threshold", defaultValue = "Info",
      description = "Lowest level printed: Info, Warning or Error (default: ${DEFAULT-VALUE}).")
  String outputThreshold = "Info";

  @Option(names = "--use-kube", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Read from a live cluster. Sluice analyzes files only, so this must be false (the default).")
  boolean useKube;

  @Option(names = {"-R", "--recursive"}, description = "Descend into directories.")
  boolean recursive;

  @Option(names = {"-S", "--suppress"}, paramLabel = "CODE=Kind name[.namespace]",
      description = "Suppress findings, e.g. \"IST0102=Namespace frod\" or \"IST0107=Pod *.baz\" (repeatable; * is a wildcard).")
  List<String> suppress = new ArrayList<>();

  @Option(names = "--meshConfigFile", paramLabel = "FILE", description = "Mesh configuration (MeshConfig YAML).")
  String meshConfigFile;

  @Option(names = {"-v", "--verbose"}, description = "Also say which analyzers were skipped and why.")
  boolean verbose;

  @Option(names = "--analyzer", paramLabel = "NAME",
      description = "Run only this analyzer (repeatable), e.g. virtualservice.DestinationHostAnalyzer; see -L.")
  List<String> analyzers = new ArrayList<>();

  @Option(names = {"-L", "--list-analyzers"}, description = "List the analyzers and exit.")
  boolean listAnalyzers;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Level failAt;
    Level printAt;
    try {
      failAt = Level.parse(failureThreshold);
      printAt = Level.parse(outputThreshold);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!List.of("log", "json", "yaml").contains(output)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--output: \"" + output + "\" (expected: log, json or yaml)");
    }
    if (listAnalyzers) {
      for (Analyzer a : Analyzers.all()) {
        out.println(a.name());
      }
      return 0;
    }
    if (paths.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "no files to analyze: give files or directories (Sluice analyzes files, not a live cluster)");
    }
    List<MessageFilter.Suppression> suppressions = new ArrayList<>();
    for (String s : suppress) {
      try {
        suppressions.add(MessageFilter.Suppression.parse(s));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--suppress: " + e.getMessage());
      }
    }
    MeshConfig mesh;
    try {
      mesh = AnalysisRun.meshConfig(meshConfigFile);
    } catch (IOException | RuntimeException e) {
      err.println("Error: --meshConfigFile " + meshConfigFile + ": " + e.getMessage());
      return Main.EXIT_DATA;
    }
    if (useKube) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--use-kube=true: Sluice analyzes files and has no cluster to read; use --use-kube=false");
    }
    Inputs.Loaded loaded = Inputs.load(paths, recursive, namespace, System.in);
    Inputs.report(loaded, namespace, err);
    List<AnalysisMessage> messages = AnalysisRun.run(loaded, namespace, mesh, analyzers, verbose ? err : null);
    if (!allNamespaces) {
      messages = messages.stream().filter(m -> inNamespace(m, namespace)).toList();
    }
    messages = new MessageFilter(Level.INFO, suppressions).apply(messages);
    List<AnalysisMessage> shown = messages.stream().filter(m -> m.type().level().atLeast(printAt)).toList();
    String target = allNamespaces ? "all namespaces" : "namespace: " + namespace;
    if (shown.isEmpty()) {
      err.println("\u2714 No validation issues found when analyzing " + target + ".");
    } else {
      print(shown, out);
    }
    out.flush();
    if (messages.stream().anyMatch(m -> m.type().level().atLeast(failAt))) {
      return EXIT_FOUND_ISSUES;
    }
    return loaded.hasProblems() ? Main.EXIT_DATA : 0;
  }

  private void print(List<AnalysisMessage> messages, PrintWriter out) {
    if (output.equals("log")) {
      messages.forEach(m -> out.println(m.logLine()));
      return;
    }
    List<Map<String, Object>> rows = messages.stream().map(AnalyzeCommand::toMap).toList();
    try {
      ObjectMapper mapper = output.equals("json")
          ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          : new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
      out.print(mapper.writeValueAsString(rows));
      if (output.equals("json")) {
        out.println();
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot format findings: " + e.getMessage(), e);
    }
  }

  /** istioctl's JSON/YAML shape: keys code, documentationUrl, level, message, origin, reference. */
  static Map<String, Object> toMap(AnalysisMessage m) {
    Map<String, Object> row = new TreeMap<>();
    row.put("code", m.type().code());
    row.put("documentationUrl", m.type().documentationUrl());
    row.put("level", m.type().level().display());
    row.put("message", m.text());
    row.put("origin", m.resource());
    String where = m.origin().toString();
    row.put("reference", where.isEmpty() ? m.resource() : m.resource() + " " + where);
    return row;
  }

  /** Findings about resources of the analyzed namespace, or about cluster-scoped ones. */
  private static boolean inNamespace(AnalysisMessage m, String ns) {
    String[] parts = m.resource().split(" ", 2);
    if (parts.length < 2 || !parts[1].contains("/")) {
      return true;
    }
    return parts[1].substring(0, parts[1].indexOf('/')).equals(ns);
  }

  /** Exercises analysis for the AOT training run. */
  static void train(List<Resource> resources) {
    AnalysisRun.train(resources);
  }
}
