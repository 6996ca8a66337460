package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import static dev.sluice.config.validation.Primitives.orEmpty;

import dev.sluice.config.istio.Common.Destination;
import dev.sluice.config.istio.Common.Port;
import dev.sluice.config.istio.Sidecar;
import dev.sluice.config.istio.Sidecar.EgressListener;
import dev.sluice.config.istio.Sidecar.IngressListener;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Istio's {@code ValidateSidecar}: selector, ingress and egress listeners, outbound traffic policy. */
final class SidecarValidator {
  private SidecarValidator() {}

  static void validate(Sidecar sc, String namespace, Issues out) {
    if (sc.workloadSelector() != null) {
      List<String> errs = Primitives.selectorErrors(sc.workloadSelector().labels());
      if (!errs.isEmpty()) {
        out.errors("spec.workloadSelector", errs);
        return;
      }
      if (sc.workloadSelector().labels().isEmpty()) {
        out.warn("spec.workloadSelector",
            "sidecar: workload selector specified without labels, will be applied to all services in namespace");
      }
    }
    if (sc.egress().isEmpty() && sc.ingress().isEmpty() && sc.outboundTrafficPolicy() == null
        && sc.inboundConnectionPool() == null) {
      out.error("spec", "sidecar: empty configuration provided");
      return;
    }
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < sc.ingress().size(); i++) {
      ingress(sc.ingress().get(i), "spec.ingress[" + i + "]", ports, out);
    }
    DestinationRuleValidator.connectionPool(sc.inboundConnectionPool(), "spec.inboundConnectionPool", out);
    egress(sc, namespace, out);
    outboundTrafficPolicy(sc.outboundTrafficPolicy(), out);
  }

  private static void ingress(IngressListener in, String path, Set<Integer> ports, Issues out) {
    Port port = in.port();
    if (port == null) {
      out.error(path, "sidecar: port is required for ingress listeners");
      return;
    }
    if (port.targetPort() != null && port.targetPort() > 0) {
      out.error(path + ".port.targetPort", "targetPort has no impact on Sidecars");
    }
    if (!port.nameOrEmpty().isEmpty()) {
      out.error(path + ".port.name", ServiceEntryValidator.portName(port.nameOrEmpty()));
    }
    out.error(path + ".port.protocol", Protocols.validate(port.protocolOrEmpty()));
    out.error(path + ".port.number", Primitives.port(port.num()));
    if (!orEmpty(in.bind()).isEmpty()) {
      out.error(path + ".bind", IpAddresses.ipAddress(in.bind()));
    }
    if (!ports.add(port.num())) {
      out.error(path + ".port", "sidecar: ports on IP bound listeners must be unique");
    }
    out.error(path + ".captureMode", Primitives.oneOf(path + ".captureMode", in.captureMode(), "DEFAULT", "IPTABLES", "NONE"));
    String endpoint = orEmpty(in.defaultEndpoint());
    if (!endpoint.isEmpty()) {
      defaultEndpoint(endpoint, path + ".defaultEndpoint", out);
    }
    var tls = in.tls();
    if (tls != null) {
      String tp = path + ".tls";
      if (!tls.subjectAltNames().isEmpty()) {
        out.error(tp, "sidecar: subjectAltNames is not supported in ingress tls");
      }
      if (tls.redirect()) {
        out.error(tp, "sidecar: httpsRedirect is not supported");
      }
      if (!orEmpty(tls.credentialName()).isEmpty()) {
        out.error(tp, "sidecar: credentialName is not currently supported");
      }
      if (!tls.credentialNames().isEmpty()) {
        out.error(tp, "sidecar: credentialNames is not currently supported");
      }
      if (!tls.tlsCertificates().isEmpty()) {
        out.error(tp, "sidecar: tls_certificates is not currently supported");
      }
      String mode = tls.modeOrDefault();
      if (mode.equals("ISTIO_MUTUAL") || mode.equals("AUTO_PASSTHROUGH")) {
        out.error(tp, "configuration is invalid: cannot set mode to " + mode + " in sidecar ingress tls");
      }
      if (!Protocols.isTls(port.protocolOrEmpty())) {
        out.error(tp, "server cannot have TLS settings for non HTTPS/TLS ports");
      }
      GatewayValidator.tlsOptions(tls, tp, out);
    }
    DestinationRuleValidator.connectionPool(in.connectionPool(), path + ".connectionPool", out);
    if (in.connectionPool() != null && in.connectionPool().http() != null && !Protocols.isHttp(port.protocolOrEmpty())) {
      out.warn(path + ".connectionPool", "sidecar: HTTP connection pool settings are configured for port " + port.num()
          + " (" + GoStrings.quote(port.nameOrEmpty()) + ") but its protocol is not HTTP (" + port.protocolOrEmpty()
          + "); only TCP settings will apply");
    }
  }

  /** {@code 127.0.0.1:PORT}, {@code 0.0.0.0:PORT}, {@code [::1]:PORT}, {@code [::]:PORT}, {@code :PORT} or a socket. */
  private static void defaultEndpoint(String endpoint, String path, Issues out) {
    if (endpoint.startsWith("unix://")) {
      out.error(path, GatewayValidator.unixAddress(endpoint.substring("unix://".length())));
      return;
    }
    String host = "";
    String port = "";
    if (endpoint.startsWith("[")) {
      int end = endpoint.indexOf(']');
      if (end < 0) {
        out.error(path, "address " + endpoint + ": missing ']' in address");
      } else if (end + 1 >= endpoint.length() || endpoint.charAt(end + 1) != ':') {
        out.error(path, "address " + endpoint + ": missing port in address");
      } else {
        host = endpoint.substring(1, end);
        port = endpoint.substring(end + 2);
      }
    } else {
      int colon = endpoint.lastIndexOf(':');
      if (colon < 0) {
        out.error(path, "address " + endpoint + ": missing port in address");
      } else if (endpoint.indexOf(':') != colon) {
        out.error(path, "address " + endpoint + ": too many colons in address");
      } else {
        host = endpoint.substring(0, colon);
        port = endpoint.substring(colon + 1);
      }
    }
    if (!host.isEmpty() && !Set.of("127.0.0.1", "0.0.0.0", "::1", "::").contains(host)) {
      out.error(path, "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,"
          + "unix://filepath or unset");
    }
    if (!port.matches("[+-]?[0-9]{1,9}")) {
      out.error(path, "sidecar: defaultEndpoint port (" + port + ") is not a number: strconv.Atoi: parsing "
          + GoStrings.quote(port) + ": invalid syntax");
    } else {
      out.error(path, Primitives.port(Integer.parseInt(port)));
    }
  }

  private static void egress(Sidecar sc, String namespace, Issues out) {
    Set<Integer> ports = new HashSet<>();
    Set<String> uds = new HashSet<>();
    boolean catchAll = false;
    for (int i = 0; i < sc.egress().size(); i++) {
      EgressListener eg = sc.egress().get(i);
      String path = "spec.egress[" + i + "]";
      Port port = eg.port();
      if (port == null) {
        if (!catchAll) {
          if (i == sc.egress().size() - 1) {
            catchAll = true;
          } else {
            out.error(path, "sidecar: the egress listener with empty port should be the last listener in the list");
          }
        } else {
          out.error(path, "sidecar: egress can have only one listener with empty port");
          continue;
        }
      } else {
        if (port.targetPort() != null && port.targetPort() > 0) {
          out.error(path + ".port.targetPort", "targetPort has no impact on Sidecars");
        }
        egressPort(eg, port, path, out);
        if (port.num() == 0) {
          if (!uds.add(orEmpty(eg.bind()))) {
            out.error(path + ".bind", "sidecar: unix domain socket values for listeners must be unique");
          }
        } else if (!ports.add(port.num())) {
          out.error(path + ".port", "sidecar: ports on IP bound listeners must be unique");
        }
      }
      if (eg.hosts().isEmpty()) {
        out.error(path + ".hosts", "sidecar: egress listener must contain at least one host");
        continue;
      }
      Map<String, Map<String, Boolean>> byNamespace = new HashMap<>();
      for (int h = 0; h < eg.hosts().size(); h++) {
        String host = eg.hosts().get(h);
        String hp = path + ".hosts[" + h + "]";
        int slash = host.indexOf('/');
        if (slash >= 0 && !host.startsWith("~")) {
          String ns = host.substring(0, slash);
          String svc = host.substring(slash + 1);
          if (ns.equals(".")) {
            ns = namespace;
          }
          Map<String, Boolean> svcs = byNamespace.computeIfAbsent(ns, k -> new HashMap<>());
          if (!svc.equals("*")) {
            if (svcs.containsKey(svc) || svcs.containsKey("*")) {
              out.warn(hp, "duplicated egress host: " + host);
            }
          } else if (!svcs.isEmpty()) {
            out.warn(hp, "duplicated egress host: " + host);
          }
          svcs.put(svc, true);
        }
        out.errors(hp, GatewayValidator.namespacedHost(host, false));
      }
      if (byNamespace.containsKey("*") && byNamespace.get("*").containsKey("*") && byNamespace.size() != 1) {
        out.warn(path + ".hosts", "`*/*` host select all resources, no other hosts can be added");
      }
    }
  }

  private static void egressPort(EgressListener eg, Port port, String path, Issues out) {
    if (!port.nameOrEmpty().isEmpty()) {
      out.error(path + ".port.name", ServiceEntryValidator.portName(port.nameOrEmpty()));
    }
    out.error(path + ".captureMode", Primitives.oneOf(path + ".captureMode", eg.captureMode(), "DEFAULT", "IPTABLES", "NONE"));
    String bind = orEmpty(eg.bind());
    out.error(path + ".port.protocol", Protocols.validate(port.protocolOrEmpty()));
    if (port.num() == 0) {
      if (!bind.startsWith("unix://")) {
        out.error(path + ".bind", "sidecar: ports with 0 value must have a unix domain socket bind address");
      } else {
        out.error(path + ".bind", GatewayValidator.unixAddress(bind.substring("unix://".length())));
      }
      String mode = orEmpty(eg.captureMode());
      if (!mode.isEmpty() && !mode.equals("DEFAULT") && !mode.equals("NONE")) {
        out.error(path + ".captureMode", "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners");
      }
    } else {
      out.error(path + ".port.number", Primitives.port(port.num()));
      if (!bind.isEmpty()) {
        out.error(path + ".bind", IpAddresses.ipAddress(bind));
      }
    }
  }

  private static void outboundTrafficPolicy(Sidecar.@org.jspecify.annotations.Nullable OutboundTrafficPolicy tp,
      Issues out) {
    if (tp == null) {
      return;
    }
    String path = "spec.outboundTrafficPolicy";
    String mode = orEmpty(tp.mode());
    if (mode.equals("ALLOW_ANY_DYNAMIC_DNS")) {
      out.error(path + ".mode",
          "sidecar: ALLOW_ANY_DYNAMIC_DNS mode is only supported in MeshConfig, not in Sidecar resource");
      return;
    }
    out.error(path + ".mode", Primitives.oneOf(path + ".mode", tp.mode(), "REGISTRY_ONLY", "ALLOW_ANY"));
    var proxy = tp.egressProxy();
    if (proxy != null) {
      if (!mode.equals("ALLOW_ANY")) {
        out.error(path + ".egressProxy",
            "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode");
        return;
      }
      out.error(path + ".egressProxy.host", Primitives.fqdn(orEmpty(proxy.host())));
      if (proxy.port() == null) {
        out.error(path + ".egressProxy", "sidecar: egress_proxy port must be non-nil");
        return;
      }
      VirtualServiceValidator.destination(new Destination(proxy.host(), proxy.subset(), proxy.port()),
          path + ".egressProxy", out);
    }
  }
}
