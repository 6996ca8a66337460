package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A service of the mesh: a Kubernetes Service or one host of a ServiceEntry.
 *
 * @param hostname the FQDN ({@code reviews.default.svc.cluster.local}, or a ServiceEntry host)
 * @param name the short name ({@code reviews}); the host itself for ServiceEntries
 * @param namespace where it was declared
 * @param ports by declaration order
 * @param selector label selector of its workloads; {@code null} when the service has explicit
 *     endpoints only (ServiceEntry {@code endpoints}, or a selector-less Kubernetes Service)
 * @param address the cluster IP (VIP), or empty
 * @param exportTo visibility ({@code *} when empty)
 * @param origin where the service came from
 * @param resolution ServiceEntry resolution ({@code STATIC}, {@code DNS}, {@code NONE}); {@code
 *     STATIC} for Kubernetes services
 * @param meshExternal a ServiceEntry with location {@code MESH_EXTERNAL}
 */
public record MeshService(
    String hostname,
    String name,
    String namespace,
    List<ServicePort> ports,
    @Nullable Map<String, String> selector,
    String address,
    List<String> exportTo,
    Origin origin,
    String resolution,
    boolean meshExternal) {

  /** Where a service was declared. */
  public enum Origin {
    KUBERNETES,
    SERVICE_ENTRY
  }

  public MeshService {
    requireNonNull(hostname, "hostname");
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    requireNonNull(address, "address");
    requireNonNull(origin, "origin");
    requireNonNull(resolution, "resolution");
    ports = List.copyOf(ports);
    selector = selector == null ? null : Map.copyOf(selector);
    exportTo = List.copyOf(exportTo);
    if (hostname.isEmpty()) {
      throw new IllegalArgumentException("hostname: \"\" (expected: a host name)");
    }
  }

  /** The port with this number, or {@code null}. */
  public @Nullable ServicePort port(int number) {
    for (ServicePort p : ports) {
      if (p.port() == number) {
        return p;
      }
    }
    return null;
  }
}
