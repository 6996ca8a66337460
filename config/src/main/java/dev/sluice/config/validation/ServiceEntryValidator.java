package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import static dev.sluice.config.GoStrings.quote;

import dev.sluice.config.ObjectMeta;
import dev.sluice.config.istio.Common.Port;
import dev.sluice.config.istio.ServiceEntry;
import dev.sluice.config.istio.WorkloadEntry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Istio's {@code ValidateServiceEntry} and {@code ValidateWorkloadEntry}, with the CRD rules of both
 * kinds (their texts are added in parentheses where the webhook words it differently).
 */
final class ServiceEntryValidator {
  private ServiceEntryValidator() {}

  private static final String UNIX = "unix://";

  static void validate(ServiceEntry se, ObjectMeta meta, Issues out) {
    out.error("spec.location", Primitives.oneOf("spec.location", se.location(), "MESH_EXTERNAL", "MESH_INTERNAL"));
    out.error("spec.resolution", Primitives.oneOf("spec.resolution", se.resolution(), "NONE", "STATIC", "DNS",
        "DNS_ROUND_ROBIN", "DYNAMIC_DNS"));
    if (se.workloadSelector() != null) {
      List<String> selectorErrors = Primitives.selectorErrors(se.workloadSelector().labels());
      if (!selectorErrors.isEmpty()) {
        out.errors("spec.workloadSelector", selectorErrors);
        return;
      }
      if (se.workloadSelector().labels().isEmpty()) {
        out.warn("spec.workloadSelector",
            "service entry: workload selector specified without labels, will be applied to all services in namespace");
      }
      if (!se.endpoints().isEmpty()) {
        out.error("spec", "only one of WorkloadSelector or Endpoints is allowed in Service Entry"
            + " (only one of WorkloadSelector or Endpoints can be set)");
      }
    }
    String resolution = se.resolutionOrDefault();
    if (se.hosts().isEmpty()) {
      out.error("spec.hosts", "spec.hosts: Required value: service entry must have at least one host");
    }
    for (int i = 0; i < se.hosts().size(); i++) {
      String host = se.hosts().get(i);
      String path = "spec.hosts[" + i + "]";
      if (host.equals("*")) {
        out.error(path, "invalid host * (hostname cannot be wildcard)");
      } else {
        out.error(path, Primitives.wildcardDomain(host));
        if (!resolution.equals("DYNAMIC_DNS")) {
          out.warn(path, Primitives.partialWildcard(host));
        }
      }
    }
    boolean cidr = false;
    for (int i = 0; i < se.addresses().size(); i++) {
      cidr |= se.addresses().get(i).contains("/");
      out.error("spec.addresses[" + i + "]", IpAddresses.ipSubnet(se.addresses().get(i)));
    }
    if (cidr && !resolution.equals("NONE") && !resolution.equals("STATIC")) {
      out.error("spec.addresses", "CIDR addresses are allowed only for NONE/STATIC resolution types");
    }
    boolean autoAllocate = !resolution.equals("NONE") && se.addresses().isEmpty()
        && !"false".equalsIgnoreCase(meta.labels().get("networking.istio.io/enable-autoallocate-ip"));
    Set<String> portNames = new HashSet<>();
    Set<Integer> portNumbers = new HashSet<>();
    for (int i = 0; i < se.ports().size(); i++) {
      Port p = se.ports().get(i);
      String path = "spec.ports[" + i + "]";
      if (!portNames.add(p.nameOrEmpty())) {
        out.error(path + ".name", "service entry port name " + quote(p.nameOrEmpty()) + " already defined ("
            + path + ".name: Duplicate value: " + quote(p.nameOrEmpty()) + ")");
      }
      if (!portNumbers.add(p.num())) {
        out.error(path + ".number", "service entry port " + p.num() + " already defined (port number cannot be duplicated)");
      }
      if (p.targetPort() != null && p.targetPort() != 0) {
        out.error(path + ".targetPort", crdPort(Primitives.port(p.targetPort())));
      }
      if (se.addresses().isEmpty() && !autoAllocate && (p.protocolOrEmpty().isEmpty() || p.protocolOrEmpty().equals("TCP"))) {
        out.warn(path, "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not"
            + " enabled");
      }
      out.error(path + ".name", portName(p.nameOrEmpty()));
      out.error(path + ".protocol", Protocols.validate(p.protocolOrEmpty()));
      out.error(path + ".number", crdPort(Primitives.port(p.num())));
    }
    resolution(se, resolution, portNames, out);
    if (!resolution.equals("NONE") && se.hosts().size() > 1) {
      for (Port p : se.ports()) {
        if (!Protocols.isHttp(p.protocolOrEmpty()) && !Protocols.isTls(p.protocolOrEmpty())) {
          out.error("spec.ports", "multiple hosts provided with non-HTTP, non-TLS ports");
          break;
        }
      }
    }
    out.errors("spec.exportTo", Primitives.exportTo(meta.namespace(), se.exportTo(), true, false));
    for (int i = 0; i < se.endpoints().size(); i++) {
      crdEndpoint(se.endpoints().get(i), "spec.endpoints[" + i + "]", out);
    }
  }

  private static void resolution(ServiceEntry se, String resolution, Set<String> portNames, Issues out) {
    switch (resolution) {
      case "NONE" -> {
        if (!se.endpoints().isEmpty()) {
          out.error("spec.endpoints", "no endpoints should be provided for resolution type none"
              + " (NONE mode cannot set endpoints)");
        }
        if (se.workloadSelector() != null) {
          out.warn("spec.workloadSelector", "workloadSelector should not be set when resolution mode is NONE");
        }
      }
      case "STATIC" -> {
        for (int i = 0; i < se.endpoints().size(); i++) {
          workloadEntry(se.endpoints().get(i), portNames, false, "spec.endpoints[" + i + "]", out);
        }
      }
      case "DNS", "DNS_ROUND_ROBIN" -> {
        if (se.endpoints().isEmpty()) {
          for (String host : se.hosts()) {
            String err = Primitives.fqdn(host);
            if (err != null) {
              out.error("spec.hosts", "hosts must be FQDN or contain only prefix wildcards if no endpoints are provided"
                  + " for resolution mode " + resolution + ", " + err);
              break;
            }
          }
        }
        if (resolution.equals("DNS_ROUND_ROBIN") && se.endpoints().size() > 1) {
          out.error("spec.endpoints", "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN"
              + " (DNS_ROUND_ROBIN mode cannot have multiple endpoints)");
        }
        for (int i = 0; i < se.endpoints().size(); i++) {
          WorkloadEntry e = se.endpoints().get(i);
          String path = "spec.endpoints[" + i + "]";
          if (!IpAddresses.isIp(e.addressOrEmpty()) && Primitives.fqdn(e.addressOrEmpty()) != null) {
            out.error(path + ".address", "endpoint address " + quote(e.addressOrEmpty())
                + " is not a valid FQDN or an IP address");
          }
          out.errors(path + ".labels", Primitives.labels(e.labels()));
          endpointPorts(e.ports(), portNames, path + ".ports", out);
        }
        if (!se.addresses().isEmpty() && se.hosts().size() > 1
            && se.ports().stream().anyMatch(p -> Protocols.isTcp(p.protocolOrEmpty()))) {
          out.warn("spec.addresses", "service entry can not have more than one host specified simultaneously with"
              + " address and tcp port");
        }
      }
      case "DYNAMIC_DNS" -> {
        for (String host : se.hosts()) {
          if (!host.startsWith("*")) {
            out.error("spec.hosts", "host must be wildcarded for resolution mode DYNAMIC_DNS");
          }
        }
        if (!se.addresses().isEmpty()) {
          out.error("spec.addresses", "addresses cannot be set for resolution type DYNAMIC_DNS. HTTP route domains will"
              + " only be generatedfrom the hosts field values");
        }
        if (!se.endpoints().isEmpty()) {
          out.error("spec.endpoints", "endpoints cannot be set for resolution type DYNAMIC_DNS. Destination IP address"
              + " determined from hostsfield values");
        }
        for (Port p : se.ports()) {
          String proto = Protocols.parse(p.protocolOrEmpty());
          if (!"HTTP".equals(proto) && !"TLS".equals(proto) && !"GRPC".equals(proto) && !"HTTP2".equals(proto)) {
            out.error("spec.ports", "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type"
                + " DYNAMIC_DNS");
          }
        }
        String location = se.location() == null ? "" : se.location();
        if (!location.equals("MESH_EXTERNAL") && !location.equals("MESH_INTERNAL")) {
          out.error("spec.location", "location must be MESH_EXTERNAL or MESH_INTERNAL for resolution type DYNAMIC_DNS");
        }
      }
      default -> { }
    }
  }

  private static void endpointPorts(Map<String, Integer> ports, @Nullable Set<String> servicePorts, String path,
      Issues out) {
    ports.forEach((name, port) -> {
      if (servicePorts != null && !servicePorts.contains(name)) {
        out.error(path, "endpoint port " + port + " is not defined by the service entry");
      }
      out.error(path, portName(name));
      out.error(path, crdPort(Primitives.port(port)));
    });
  }

  static @Nullable String portName(String name) {
    return Primitives.isDns1123Label(name) ? null : "invalid port name: " + name + " (port name must be valid)";
  }

  private static @Nullable String crdPort(@Nullable String err) {
    return err == null ? null : err + " (port must be between 1-65535)";
  }

  /** A WorkloadEntry resource ({@code allowFqdn}) or a STATIC ServiceEntry endpoint. */
  static void workloadEntry(WorkloadEntry we, @Nullable Set<String> servicePorts, boolean allowFqdn, String path,
      Issues out) {
    String addr = we.addressOrEmpty();
    if (addr.isEmpty()) {
      if (Primitives.orEmpty(we.network()).isEmpty()) {
        out.error(path + ".address", "address is required (Address is required)");
        return;
      }
      out.warn(path + ".address", "address is unset with network " + quote(we.network()));
    }
    boolean unix = addr.startsWith(UNIX);
    if (unix) {
      String err = GatewayValidator.unixAddress(addr.substring(UNIX.length()));
      if (err != null) {
        String crd = addr.endsWith("/") ? "UDS may not be a dir" : "UDS must be an absolute path or abstract socket";
        out.error(path + ".address", err + " (" + crd + ")");
      }
      if (!we.ports().isEmpty()) {
        out.error(path + ".ports", "unix endpoint " + addr + " must not include ports (UDS may not include ports)");
      }
    } else if (!addr.isEmpty() && !IpAddresses.isIp(addr)) {
      if (!allowFqdn) {
        out.error(path + ".address", "endpoint address " + quote(addr) + " is not a valid IP address");
      } else if (Primitives.fqdn(addr) != null) {
        out.error(path + ".address", "endpoint address " + quote(addr) + " is not a valid FQDN or an IP address");
      }
    }
    endpointPorts(we.ports(), servicePorts, path + ".ports", out);
    if (!we.ports().isEmpty() && we.ports().keySet().stream().anyMatch(k -> portName(k) != null)) {
      out.error(path + ".ports", path + ".ports: Invalid value: \"object\": port name must be valid");
    }
    out.errors(path + ".labels", Primitives.labels(we.labels()));
    if (unix && servicePorts != null && servicePorts.size() != 1) {
      out.error(path, "exactly 1 service port required for unix endpoints");
    }
  }

  /** CRD rules on endpoints that the webhook checks only for some resolutions. */
  private static void crdEndpoint(WorkloadEntry e, String path, Issues out) {
    String addr = e.addressOrEmpty();
    if (addr.startsWith(UNIX) && GatewayValidator.unixAddress(addr.substring(UNIX.length())) != null
        && !out.list().stream().anyMatch(i -> i.path().equals(path + ".address"))) {
      out.error(path + ".address", addr.endsWith("/") ? "UDS may not be a dir"
          : "UDS must be an absolute path or abstract socket");
    }
  }
}
