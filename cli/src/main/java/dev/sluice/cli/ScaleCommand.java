package dev.sluice.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice scale deployment/NAME --replicas=N}: adds or removes pods; endpoints follow. */
@Command(name = "scale", mixinStandardHelpOptions = true, description = "Set the replicas of a Deployment.")
public final class ScaleCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "deployment/NAME", description = "The Deployment.")
  String target;

  @Option(names = "--replicas", required = true, description = "The new number of replicas.")
  int replicas;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  @Override
  public Integer call() {
    String name = target.contains("/") ? target.substring(target.indexOf('/') + 1) : target;
    String type = target.contains("/") ? target.substring(0, target.indexOf('/')) : "deployment";
    if (!"Deployment".equals(GetCommand.kind(type))) {
      spec.commandLine().getErr().println("error: only deployments scale (got " + type + ")");
      return Main.EXIT_USAGE;
    }
    try {
      MeshClient.Reply r = MeshClient.of(controlPlane).post("/platform/scale/" + namespace + "/" + name
          + "?replicas=" + replicas, "");
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
