package dev.sluice.controlplane;

import dev.sluice.config.ConfigLoader;
import dev.sluice.registry.ApplyResult;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.Protocol;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Helpers to fill a running sluiced's registry and store from tests. */
final class TestMesh {
  private TestMesh() {}

  static MeshService service(String name, int port, Protocol protocol) {
    return new MeshService(name + ".default.svc.cluster.local", name, "default",
        List.of(new ServicePort(protocol.name().toLowerCase(java.util.Locale.ROOT), port, protocol, port, "")),
        Map.of("app", name), "", List.of(), MeshService.Origin.KUBERNETES, "STATIC", false);
  }

  /** An instance on loopback whose service port (named after the protocol) is served on {@code port}. */
  static WorkloadInstance loopback(String app, String version, String portName, int port) {
    return new WorkloadInstance(app + "-" + version + "-0", "default", "127.0.0.1",
        Map.of("app", app, "version", version), "default", Map.of(portName, port), true, List.of());
  }

  /** Applies YAML text; fails on any rejected object. */
  static List<String> apply(Sluiced cp, String yaml) {
    List<String> lines = new ArrayList<>();
    for (var r : new ConfigLoader().load("test.yaml", new StringReader(yaml)).resources()) {
      ApplyResult a = cp.store().apply(r);
      if (a.status() == ApplyResult.Status.REJECTED) {
        throw new IllegalArgumentException(a.line());
      }
      lines.add(a.line());
    }
    return lines;
  }

  static List<String> applyFile(Sluiced cp, Path file) throws IOException {
    return apply(cp, Files.readString(file));
  }
}
