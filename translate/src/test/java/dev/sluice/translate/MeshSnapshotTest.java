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

  @Test
  void aRebuildWithTheSameServicesAndConfigReusesTheirIndexesAndEqualsAFreshBuild() {
    List<MeshService> services = List.of(service("a", "x"), service("b", "x"));
    List<dev.sluice.config.Resource> config = new dev.sluice.config.ConfigLoader().load("se.yaml",
        new java.io.StringReader("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: ext, namespace: x}
            spec:
              hosts: [ext.example.com]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 192.0.2.1}]
            """)).resources();
    WorkloadInstance a1 = new WorkloadInstance("a-1", "x", "10.0.0.1", Map.of("app", "a"), "default", Map.of(), true,
        List.of());
    MeshSnapshot first = MeshSnapshot.build(null, services, List.of(a1), config, "1");
    WorkloadInstance a2 = new WorkloadInstance("a-2", "x", "10.0.0.2", Map.of("app", "a"), "default", Map.of(), true,
        List.of());
    List<WorkloadInstance> more = List.of(a1, a2);

    MeshSnapshot next = MeshSnapshot.build(first, services, more, config, "2");
    assertThat(next).isEqualTo(MeshSnapshot.build(null, services, more, config, "2"));
    assertThat(next.virtualServicesByHost()).isSameAs(first.virtualServicesByHost());
    assertThat(next.instancesOf("a.x.svc.cluster.local")).containsExactly(a1, a2);
    assertThat(next.instancesOf("ext.example.com")).hasSize(1);

    // Other config objects: everything is indexed again.
    List<dev.sluice.config.Resource> none = List.of();
    MeshSnapshot without = MeshSnapshot.build(next, services, more, none, "3");
    assertThat(without).isEqualTo(MeshSnapshot.build(null, services, more, none, "3"));
    assertThat(without.service("ext.example.com")).isNull();
  }

  @Test
  void anInstanceChangedInPlaceTakesItsPredecessorsPlaceAndEqualsAFreshBuild() {
    List<MeshService> services = List.of(service("a", "x"), service("b", "x"));
    // Registry order need not be key order; positions are what the rebuild compares.
    WorkloadInstance b1 = new WorkloadInstance("b-1", "x", "10.0.0.3", Map.of("app", "b"), "default", Map.of(), true,
        List.of());
    WorkloadInstance a2 = new WorkloadInstance("a-2", "x", "10.0.0.2", Map.of("app", "a"), "default", Map.of(), true,
        List.of());
    WorkloadInstance a1 = new WorkloadInstance("a-1", "x", "10.0.0.1", Map.of("app", "a"), "default", Map.of(), true,
        List.of());
    MeshSnapshot first = MeshSnapshot.build(null, services, List.of(b1, a2, a1), List.of(), "1");

    List<WorkloadInstance> unhealthy = List.of(b1, a2.withHealthy(false), a1);
    MeshSnapshot next = MeshSnapshot.build(first, services, unhealthy, List.of(), "2");
    assertThat(next).isEqualTo(MeshSnapshot.build(null, services, unhealthy, List.of(), "2"));
    assertThat(next.instancesOf("a.x.svc.cluster.local")).containsExactly(a1, a2.withHealthy(false));
    assertThat(next.instancesOf("b.x.svc.cluster.local")).isSameAs(first.instancesOf("b.x.svc.cluster.local"));
    assertThat(next.instance("x/a-2")).isEqualTo(a2.withHealthy(false));

    // A relabelled instance moves to another service: everything is indexed again.
    WorkloadInstance moved = new WorkloadInstance("a-2", "x", "10.0.0.2", Map.of("app", "b"), "default", Map.of(),
        false, List.of());
    List<WorkloadInstance> relabelled = List.of(b1, moved, a1);
    MeshSnapshot last = MeshSnapshot.build(next, services, relabelled, List.of(), "3");
    assertThat(last).isEqualTo(MeshSnapshot.build(null, services, relabelled, List.of(), "3"));
    assertThat(last.instancesOf("b.x.svc.cluster.local")).containsExactly(moved, b1);
    assertThat(last.servicesByAddress().get("10.0.0.2")).containsExactly("b.x.svc.cluster.local");
  }

  static MeshService service(String name, String ns) {
    return new MeshService(name + "." + ns + ".svc.cluster.local", name, ns,
        List.of(ServicePort.of("http", 80, Protocol.HTTP)), Map.of("app", name), "", List.of(),
        MeshService.Origin.KUBERNETES, "STATIC", false);
  }
}
