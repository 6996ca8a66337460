package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice exec POD -- CMD ARGS...}: runs CMD on this machine as if inside the pod: with the
 * pod's environment, so its HTTP goes through the pod's sidecar ({@code http_proxy}). {@code
 * sluice exec sleep -- curl -s http://reviews:9080/reviews/0} is routed by the sleep pod's sidecar.
 * {@code fortio load|curl} runs a built-in fortio-compatible client when no {@code fortio} is
 * installed (the circuit-breaking task's client).
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
    description = "Run a command with a pod's outbound capture (its sidecar as http_proxy).")
public final class ExecCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "POD", description = "A pod, deploy/NAME, or a unique name prefix.")
  String pod;

  @Parameters(index = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
  List<String> command;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = {"-i", "--stdin"}, description = "Accepted for kubectl compatibility (stdin is always passed).")
  boolean stdin;

  @Option(names = {"-t", "--tty"}, description = "Accepted for kubectl compatibility.")
  boolean tty;

  @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "Accepted for kubectl compatibility.")
  String container;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  @Override
  public Integer call() throws InterruptedException {
    var err = spec.commandLine().getErr();
    if (command == null || command.isEmpty()) {
      err.println("error: give a command after --, e.g. sluice exec sleep -- curl -s http://reviews:9080/reviews/0");
      return Main.EXIT_USAGE;
    }
    Map<String, String> env = new LinkedHashMap<>();
    try {
      MeshClient.Reply r = MeshClient.of(controlPlane).get("/platform/pods/" + namespace + "/" + pod + "/env");
      if (!r.ok()) {
        err.print(r.body());
        err.flush();
        return 1;
      }
      JsonNode n = new ObjectMapper().readTree(r.body());
      n.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    if (command.getFirst().equals("fortio") && !onPath("fortio")) {
      return FortioClient.run(command.subList(1, command.size()), env, spec.commandLine().getOut(), err);
    }
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().putAll(env);
    try {
      return pb.start().waitFor();
    } catch (IOException e) {
      err.println("error: cannot run " + command.getFirst() + ": " + e.getMessage());
      return 127;
    }
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }
}
