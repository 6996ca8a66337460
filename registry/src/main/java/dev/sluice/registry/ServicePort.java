package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

/**
 * One port of a service.
 *
 * @param name the port name ({@code http}); may be empty
 * @param port the service port number
 * @param protocol from the name or {@code appProtocol}
 * @param targetPort the workload's port number, or 0 when {@code targetPortName} names it
 * @param targetPortName a named container port ({@code targetPort: http-web}), or empty
 */
public record ServicePort(String name, int port, Protocol protocol, int targetPort, String targetPortName) {
  public ServicePort {
    requireNonNull(name, "name");
    requireNonNull(protocol, "protocol");
    requireNonNull(targetPortName, "targetPortName");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (targetPort < 0 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort: " + targetPort + " (expected: 0..65535)");
    }
  }

  /** A port whose target is the same number. */
  public static ServicePort of(String name, int port, Protocol protocol) {
    return new ServicePort(name, port, protocol, port, "");
  }
}
