package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.registry.MeshService;
import dev.sluice.registry.Protocol;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot's indexes: instances by key, services by namespace. */
class MeshSnapshotTest {
  static WorkloadInstance pod(String ns, String name) {
    return new WorkloadInstance(name, ns, "10.0.0." + Math.abs((ns + name).hashCode() % 250), Map.of("app", "a"),
        "default", Map.of(), true, List.of());
  }

  @Test
  void instancesAreFoundByKeyAcrossNamespacesThatPrefixEachOther() {
    // "ns/…" sorts after "ns-1/…" and "ns.a/…" ('/' > '-' > '.'): the lookup must follow key order.
    List<WorkloadInstance> pods = List.of(pod("ns", "b"), pod("ns-1", "a"), pod("ns.a", "c"), pod("ns", "a-1"),
        pod("n", "s"), pod("ns", "a"));
    MeshSnapshot s = MeshSnapshot.build(List.of(), pods, List.of(), "1");
    for (WorkloadInstance w : pods) {
      assertThat(s.instance(w.key())).isEqualTo(w);
    }
    assertThat(s.instance("ns/c")).isNull();
    assertThat(s.instance("ns")).isNull();
    assertThat(s.instance("ns/a-")).isNull();
    assertThat(s.allInstances()).extracting(WorkloadInstance::key).isSorted();
  }

  @Test
  void servicesAreListedPerNamespaceByHostname() {
    MeshService b = service("b", "x");
    MeshService a = service("a", "x");
    MeshService c = service("c", "y");
    MeshSnapshot s = MeshSnapshot.build(List.of(b, c, a), List.of(), List.of(), "1");
    assertThat(s.servicesIn("x")).containsExactly(a, b);
    assertThat(s.servicesIn("y")).containsExactly(c);
    assertThat(s.servicesIn("z")).isEmpty();
    assertThat(s.exportedEverywhere()).isTrue();
  }

  static MeshService service(String name, String ns) {
    return new MeshService(name + "." + ns + ".svc.cluster.local", name, ns,
        List.of(ServicePort.of("http", 80, Protocol.HTTP)), Map.of("app", name), "", List.of(),
        MeshService.Origin.KUBERNETES, "STATIC", false);
  }
}
