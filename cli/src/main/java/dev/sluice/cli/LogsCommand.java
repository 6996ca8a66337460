package dev.sluice.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice logs POD [-c istio-proxy]}: what the pod's app printed, or its sidecar's access log
 * (a Deployment's name picks one of its pods).
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Print the app output of a pod, or with -c istio-proxy its sidecar's access log.")
public final class LogsCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "POD", description = "A pod, deployment/NAME, or a unique name prefix.")
  String pod;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "The app's container (default), or "
      + "istio-proxy for the sidecar's access log.")
  String container;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  @Override
  public Integer call() {
    try {
      MeshClient.Reply r = MeshClient.of(controlPlane).get("/platform/pods/" + namespace + "/" + pod + "/logs"
          + (container == null ? "" : "?container=" + java.net.URLEncoder.encode(container,
              java.nio.charset.StandardCharsets.UTF_8)));
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
