package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A running workload (Istio's endpoint source): a pod, a WorkloadEntry, or a ServiceEntry's inline
 * endpoint.
 *
 * @param name unique within the namespace ({@code reviews-v2-7d9f6c5b8-x2k4q})
 * @param namespace the workload's namespace
 * @param address its IP address (the local platform publishes the sidecar's inbound address)
 * @param labels workload labels, matched by service selectors and DestinationRule subsets
 * @param serviceAccount the service account name
 * @param ports named ports (container ports, or a WorkloadEntry's {@code ports}); a service port
 *     whose name is here targets that number
 * @param healthy whether the instance is ready
 * @param services hostnames the instance belongs to regardless of selectors (ServiceEntry inline
 *     endpoints); empty for instances found through selectors
 * @param publishedPorts workload (container) port → the port published at {@code address}, for
 *     platforms where many workloads share one address (the local platform publishes each pod's
 *     sidecar inbound listener on 127.0.0.1 this way); empty when endpoints use the workload ports
 */
public record WorkloadInstance(
    String name,
    String namespace,
    String address,
    Map<String, String> labels,
    String serviceAccount,
    Map<String, Integer> ports,
    boolean healthy,
    List<String> services,
    Map<Integer, Integer> publishedPorts) {

  public WorkloadInstance {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    requireNonNull(address, "address");
    requireNonNull(serviceAccount, "serviceAccount");
    labels = Map.copyOf(labels);
    ports = Map.copyOf(ports);
    services = List.copyOf(services);
    publishedPorts = Map.copyOf(publishedPorts);
    if (address.isEmpty()) {
      throw new IllegalArgumentException("address: \"\" (expected: an IP address or host)");
    }
  }

  /** An instance whose endpoints are its workload ports (no published-port mapping). */
  public WorkloadInstance(String name, String namespace, String address, Map<String, String> labels,
      String serviceAccount, Map<String, Integer> ports, boolean healthy, List<String> services) {
    this(name, namespace, address, labels, serviceAccount, ports, healthy, services, Map.of());
  }

  /** The port at {@link #address} that serves workload port {@code port}. */
  public int publishedPort(int port) {
    return publishedPorts.getOrDefault(port, port);
  }

  /** The key of the instance in a registry: {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  /** A copy with another health state. */
  public WorkloadInstance withHealthy(boolean h) {
    return new WorkloadInstance(name, namespace, address, labels, serviceAccount, ports, h, services, publishedPorts);
  }

  /** A copy at another address. */
  public WorkloadInstance withAddress(String a) {
    return new WorkloadInstance(name, namespace, a, labels, serviceAccount, ports, healthy, services, publishedPorts);
  }
}
