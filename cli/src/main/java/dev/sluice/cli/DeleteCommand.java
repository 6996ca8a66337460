package dev.sluice.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice delete -f FILE|DIR|-} or {@code sluice delete TYPE NAME...}: removes objects from
 * the running mesh. {@code delete pod NAME} stops the pod; its Deployment starts a replacement.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete objects from the local mesh: -f FILE|DIR|-, or TYPE NAME (pod, deployment, service,",
        "virtualservice, destinationrule, gateway, serviceentry)."})
public final class DeleteCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-", description = "Files, directories or - (repeatable).")
  List<String> files;

  @Parameters(paramLabel = "TYPE NAME", description = "A type and names (instead of -f).")
  List<String> args;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    MeshClient mesh = MeshClient.of(controlPlane);
    try {
      if (files != null && !files.isEmpty()) {
        MeshClient.Reply r = mesh.post("/apis/delete" + "?namespace=" + namespace, ManifestFiles.read(files, System.in));
        (r.ok() ? out : err).print(r.body());
        out.flush();
        err.flush();
        return r.ok() ? 0 : 1;
      }
      if (args == null || args.size() < 2) {
        err.println("error: give -f FILE or TYPE NAME");
        return Main.EXIT_USAGE;
      }
      String kind = GetCommand.kind(args.getFirst());
      if (kind == null) {
        err.println("error: the server doesn't have a resource type \"" + args.getFirst() + "\"");
        return 1;
      }
      int rc = 0;
      for (String name : args.subList(1, args.size())) {
        MeshClient.Reply r = kind.equals("Pod")
            ? mesh.delete("/platform/pods/" + namespace + "/" + name)
            : mesh.delete("/apis/config/" + kind + "/" + namespace + "/" + name);
        (r.ok() ? out : err).print(r.body());
        rc |= r.ok() ? 0 : 1;
      }
      out.flush();
      err.flush();
      return rc;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
