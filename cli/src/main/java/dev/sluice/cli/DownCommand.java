package dev.sluice.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice down}: stops the mesh that {@code sluice up} runs (asks it through its API, waits until it is gone). */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the local mesh started by `sluice up`.")
public final class DownCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  @Override
  public Integer call() throws InterruptedException {
    MeshClient mesh = MeshClient.of(controlPlane);
    try {
      MeshClient.Reply r = mesh.post("/platform/shutdown", "");
      if (!r.ok()) {
        spec.commandLine().getErr().println("sluice down: " + r.body().strip());
        return 1;
      }
    } catch (IOException e) {
      spec.commandLine().getOut().println("no mesh is running");
      return 0;
    }
    long end = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < end && mesh.reachable()) {
      Thread.sleep(100);
    }
    spec.commandLine().getOut().println(mesh.reachable() ? "the mesh is still stopping" : "Sluice stopped");
    return 0;
  }
}
