package dev.sluice.cli;

import dev.sluice.config.ConfigSources;
import dev.sluice.config.LoadProblem;
import dev.sluice.config.LoadResult;
import dev.sluice.config.Resource;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;

/**
 * Loads the files a command names and reports what could not be loaded, the same way for every
 * command: problems of resources as {@code Error: Kind ns/name (file:line): message}, unreadable
 * input as {@code Error: file:line: message}, and each unmodelled kind once as a warning.
 */
final class Inputs {
  private Inputs() {}

  /** Everything loaded from the paths, namespaces defaulted to {@code namespace}. */
  record Loaded(List<Resource> resources, LoadResult raw) {
    boolean hasProblems() {
      return !raw.problems().isEmpty();
    }
  }

  static Loaded load(List<String> paths, boolean recursive, String namespace, InputStream stdin) {
    LoadResult raw = new ConfigSources().load(paths, recursive, stdin);
    List<Resource> resources = raw.resources().stream().map(r -> r.withDefaultNamespace(namespace)).toList();
    return new Loaded(resources, raw);
  }

  /** Prints load problems (as errors) and unknown kinds (as warnings, once per kind). */
  static void report(Loaded loaded, String namespace, PrintWriter err) {
    for (LoadProblem p : loaded.raw().problems()) {
      err.println(problemLine(p, namespace));
    }
    for (String s : loaded.raw().unknownKindSummary()) {
      err.println("Warning: " + s);
    }
  }

  static String problemLine(LoadProblem p, String namespace) {
    if (p.kind().isEmpty()) {
      return "Error: " + p.origin() + ": " + p.message();
    }
    String ns = p.namespace().isEmpty() ? namespace : p.namespace();
    return "Error: " + p.kind() + " " + ns + "/" + p.name() + " (" + p.origin() + "): " + p.message();
  }
}
