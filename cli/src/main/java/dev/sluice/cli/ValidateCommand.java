package dev.sluice.cli;

import dev.sluice.config.Resource;
import dev.sluice.config.validation.Issue;
import dev.sluice.config.validation.Level;
import dev.sluice.config.validation.Validation;
import dev.sluice.config.validation.ValidationResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice validate -f FILE...}: Istio's admission checks (webhook and CRD schema) on files,
 * without a cluster.
 */
@Command(
    name = "validate",
    description = {
        "Validates Istio configuration files as Istio's admission webhook would.",
        "Each problem is printed as 'Error: <Kind> <namespace>/<name> (<file>:<line>): <message>';"
            + " warnings likewise."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every resource is valid (warnings allowed)", "1:at least one error", "64:bad usage"})
final class ValidateCommand implements Callable<Integer> {
  @Option(names = {"-f", "--filename"}, required = true, arity = "1..*", paramLabel = "FILE",
      description = "Files or directories to validate; '-' reads standard input.")
  List<String> files = List.of();

  @Option(names = {"-R", "--recursive"}, description = "Descend into directories.")
  boolean recursive;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default",
      description = "Namespace for resources that name none (default: ${DEFAULT-VALUE}).")
  String namespace = "default";

  @Option(names = {"-q", "--quiet"}, description = "Print only problems, not the summary.")
  boolean quiet;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Inputs.Loaded loaded = Inputs.load(files, recursive, namespace, System.in);
    Inputs.report(loaded, namespace, err);
    int errors = loaded.raw().problems().size();
    int warnings = 0;
    for (Resource r : loaded.resources()) {
      ValidationResult result = Validation.validate(r);
      for (Issue issue : result.issues()) {
        if (issue.level() == Level.ERROR) {
          errors++;
        } else {
          warnings++;
        }
        out.println(line(r, issue));
      }
    }
    if (!quiet) {
      int total = loaded.resources().size() + loaded.raw().problems().size();
      if (errors == 0) {
        err.println("\u2714 " + plural(loaded.resources().size(), "resource") + " valid"
            + (warnings > 0 ? ", with " + plural(warnings, "warning") : "") + ".");
      } else {
        err.println("\u2718 " + plural(errors, "error") + (warnings > 0 ? " and " + plural(warnings, "warning") : "")
            + " in " + plural(total, "resource") + ".");
      }
    }
    out.flush();
    return errors > 0 ? 1 : 0;
  }

  /** {@code Error: VirtualService default/reviews (reviews.yaml:12): <message>}. */
  static String line(Resource r, Issue issue) {
    String label = issue.level() == Level.ERROR ? "Error" : "Warning";
    String name = r.namespace().isEmpty() ? r.name() : r.namespace() + "/" + r.name();
    return label + ": " + r.kind().kind() + " " + name + " (" + r.originOf(issue.path())
        + "): " + issue.message();
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
