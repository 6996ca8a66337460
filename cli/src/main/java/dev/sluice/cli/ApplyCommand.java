package dev.sluice.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice apply -f FILE|DIR|-}: Kubernetes objects (Services, Deployments, ...) and Istio
 * config into the running mesh, all or nothing: when one object is invalid, the validation message
 * is printed and nothing of the apply is stored.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Apply Kubernetes and Istio objects to the local mesh (all or nothing).")
public final class ApplyCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
      description = "Files, directories or - for stdin (repeatable).")
  List<String> files;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default",
      description = "Namespace of objects that name none (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  @Override
  public Integer call() {
    try {
      String yaml = ManifestFiles.read(files, System.in);
      MeshClient.Reply r = MeshClient.of(controlPlane).post("/apis/config" + "?namespace=" + namespace, yaml);
      (r.ok() ? spec.commandLine().getOut() : spec.commandLine().getErr()).print(r.body());
      spec.commandLine().getOut().flush();
      spec.commandLine().getErr().flush();
      return r.ok() ? 0 : 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
  }
}
