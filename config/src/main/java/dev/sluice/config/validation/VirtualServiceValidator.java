package dev.sluice.config.validation;

import dev.sluice.config.Hostnames;
import dev.sluice.config.GoStrings;
import static dev.sluice.config.GoStrings.quote;

import dev.sluice.config.istio.Common.Destination;
import dev.sluice.config.istio.StringMatch;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.config.istio.VirtualService.HttpMatchRequest;
import dev.sluice.config.istio.VirtualService.RouteDestination;
import dev.sluice.config.istio.VirtualService.TcpRoute;
import dev.sluice.config.istio.VirtualService.TlsMatchAttributes;
import dev.sluice.config.istio.VirtualService.TlsRoute;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Istio's {@code ValidateVirtualService}: hosts, gateways, TLS and TCP routes (HTTP in {@link HttpRouteValidator}). */
final class VirtualServiceValidator {
  private VirtualServiceValidator() {}

  static void validate(VirtualService vs, String namespace, Issues out) {
    boolean delegate = vs.hosts().isEmpty();
    if (delegate) {
      if (!vs.gateways().isEmpty()) {
        out.error("spec.gateways", "delegate virtual service must have no gateways specified");
      }
      if (!vs.tls().isEmpty()) {
        out.error("spec.tls", "delegate virtual service must have no tls route specified");
      }
      if (!vs.tcp().isEmpty()) {
        out.error("spec.tcp", "delegate virtual service must have no tcp route specified");
      }
    }
    boolean appliesToMesh;
    boolean appliesToGateway = false;
    if (vs.gateways().isEmpty()) {
      appliesToMesh = true;
    } else {
      Primitives.gatewayNames(vs.gateways(), "spec.gateways", out);
      appliesToGateway = boundToGateway(vs);
      appliesToMesh = !appliesToGateway;
    }
    if (!appliesToGateway) {
      for (int i = 0; i < vs.http().size(); i++) {
        for (int j = 0; j < vs.http().get(i).match().size(); j++) {
          HttpMatchRequest m = vs.http().get(i).match().get(j);
          String path = "spec.http[" + i + "].match[" + j + "]";
          jwtClaims(m.headers(), vs.gateways(), path + ".headers", out);
          jwtClaims(m.withoutHeaders(), vs.gateways(), path + ".withoutHeaders", out);
        }
      }
    }

    boolean allHostsValid = true;
    boolean sni = vs.tls().stream().anyMatch(t -> t.match().stream().anyMatch(m -> !m.sniHosts().isEmpty()));
    for (int i = 0; i < vs.hosts().size(); i++) {
      String host = vs.hosts().get(i);
      String err = appliesToGateway ? gatewayBoundDomain(sni, host) : Primitives.wildcardDomain(host);
      if (err != null) {
        if (!IpAddresses.isIp(host)) {
          out.error("spec.hosts[" + i + "]", err);
          allHostsValid = false;
        }
      } else if (appliesToMesh && host.equals("*")) {
        out.error("spec.hosts[" + i + "]",
            "wildcard host * is not allowed for virtual services bound to the mesh gateway");
        allHostsValid = false;
      }
    }
    if (allHostsValid) {
      for (int i = 0; i < vs.hosts().size(); i++) {
        for (int j = i + 1; j < vs.hosts().size(); j++) {
          if (Hostnames.overlap(vs.hosts().get(i), vs.hosts().get(j))) {
            out.error("spec.hosts[" + j + "]", "duplicate hosts in virtual service: " + vs.hosts().get(i) + " & "
                + vs.hosts().get(j));
          }
        }
      }
    }

    if (vs.http().isEmpty() && vs.tcp().isEmpty() && vs.tls().isEmpty()) {
      out.error("spec", "http, tcp or tls must be provided in virtual service");
    }
    for (int i = 0; i < vs.http().size(); i++) {
      HttpRouteValidator.validate(vs.http().get(i), delegate, "spec.http[" + i + "]", out);
    }
    for (int i = 0; i < vs.tls().size(); i++) {
      tlsRoute(vs.tls().get(i), vs, "spec.tls[" + i + "]", out);
    }
    for (int i = 0; i < vs.tcp().size(); i++) {
      tcpRoute(vs.tcp().get(i), "spec.tcp[" + i + "]", out);
    }
    out.errors("spec.exportTo", Primitives.exportTo(namespace, vs.exportTo(), false, false));
    UnreachableRules.analyze(vs, out);
  }

  /** A VirtualService whose gateways do not include {@code mesh} applies only to gateways. */
  private static boolean boundToGateway(VirtualService vs) {
    return !vs.gateways().contains("mesh");
  }

  private static void jwtClaims(@Nullable Map<String, @Nullable StringMatch> headers, List<String> gateways,
      String path, Issues out) {
    if (headers == null) {
      return;
    }
    for (String key : headers.keySet()) {
      if (HeaderNames.isJwtClaimKey(key)) {
        out.error(path, "JWT claim based routing (key: " + key + ") is only supported for gateway, found no gateways: "
            + Primitives.goList(gateways));
      }
    }
  }

  /**
   * Hosts of a gateway-bound VirtualService; with SNI matches Istio also accepts the
   * {@code outbound_.PORT_._.HOST} names that AUTO_PASSTHROUGH gateways use.
   */
  static @Nullable String gatewayBoundDomain(boolean sni, String domain) {
    if (sni && domain.startsWith("outbound_") && !domain.isEmpty() && domain.length() <= 255) {
      String format = "outbound_.<port>_._.<hostname>";
      String[] parts = domain.split("_", -1);
      if (parts.length < 4) {
        return "domain name " + domain + " invalid, should follow '" + format + "' format";
      }
      String port = trimDots(parts[1]);
      String hostname = trimDots(parts[3]);
      if (!parts[0].equals("outbound")) {
        return "domain name " + quote(domain) + " invalid (label " + quote(parts[0]) + " invalid)";
      }
      if (!port.matches("(?s).*[0-9].*")) {
        return "domain name " + quote(domain) + " invalid (label " + quote(port) + " invalid). should follow " + format
            + " format";
      }
      if (!hostname.matches("(?s).*[a-zA-Z].*")) {
        return "domain name " + quote(domain) + " invalid (label " + quote(hostname) + " invalid). should follow "
            + format + " format";
      }
      return null;
    }
    return Primitives.wildcardDomain(domain);
  }

  private static String trimDots(String s) {
    return s.replaceAll("^\\.+|\\.+$", "");
  }

  private static void tlsRoute(TlsRoute tls, VirtualService vs, String path, Issues out) {
    if (tls.match().isEmpty()) {
      out.error(path, "TLS route must have at least one match condition");
    }
    for (int i = 0; i < tls.match().size(); i++) {
      tlsMatch(tls.match().get(i), vs, path + ".match[" + i + "]", out);
    }
    if (tls.route().isEmpty()) {
      out.error(path, "TLS route is required");
    }
    routeDestinations(tls.route(), path + ".route", out);
  }

  private static void tlsMatch(TlsMatchAttributes m, VirtualService vs, String path, Issues out) {
    if (m.sniHosts().isEmpty()) {
      out.error(path, "TLS match must have at least one SNI host");
    } else {
      for (int i = 0; i < m.sniHosts().size(); i++) {
        sniHost(m.sniHosts().get(i), vs, path + ".sniHosts[" + i + "]", out);
      }
    }
    for (String subnet : m.destinationSubnets()) {
      out.error(path + ".destinationSubnets", IpAddresses.ipSubnet(subnet));
    }
    if (m.portOrZero() != 0) {
      out.error(path + ".port", Primitives.port(m.portOrZero()));
    }
    out.errors(path + ".sourceLabels", Primitives.labels(m.sourceLabels()));
    Primitives.gatewayNames(m.gateways(), path + ".gateways", out);
  }

  private static void sniHost(String sniHost, VirtualService vs, String path, Issues out) {
    String err = boundToGateway(vs) ? gatewayBoundDomain(true, sniHost) : Primitives.wildcardDomain(sniHost);
    if (err != null) {
      if (IpAddresses.isIp(sniHost)) {
        out.warn(path, "using an IP address (" + quote(sniHost)
            + ") goes against SNI spec and most clients do not support this");
      } else {
        out.error(path, err);
      }
      return;
    }
    for (String host : vs.hosts()) {
      if (Primitives.hostSubsetOf(sniHost, host)) {
        return;
      }
    }
    out.error(path, "SNI host " + quote(sniHost) + " is not a compatible subset of any of the virtual service hosts: ["
        + String.join(", ", vs.hosts()) + "]");
  }

  private static void tcpRoute(TcpRoute tcp, String path, Issues out) {
    for (int i = 0; i < tcp.match().size(); i++) {
      var m = tcp.match().get(i);
      String mp = path + ".match[" + i + "]";
      for (String subnet : m.destinationSubnets()) {
        out.error(mp + ".destinationSubnets", IpAddresses.ipSubnet(subnet));
      }
      if (m.portOrZero() != 0) {
        out.error(mp + ".port", Primitives.port(m.portOrZero()));
      }
      out.errors(mp + ".sourceLabels", Primitives.labels(m.sourceLabels()));
      Primitives.gatewayNames(m.gateways(), mp + ".gateways", out);
    }
    if (tcp.route().isEmpty()) {
      out.error(path, "TCP route is required");
    }
    routeDestinations(tcp.route(), path + ".route", out);
  }

  private static void routeDestinations(List<RouteDestination> routes, String path, Issues out) {
    int total = 0;
    for (int i = 0; i < routes.size(); i++) {
      RouteDestination r = routes.get(i);
      String p = path + "[" + i + "]";
      if (r.destination() == null) {
        out.error(p, "destination is required");
      }
      destination(r.destination(), p + ".destination", out);
      out.error(p + ".weight", weight(r.weightOrZero()));
      total += r.weightOrZero();
    }
    if (routes.size() > 1 && total == 0) {
      out.error(path, "total destination weight = 0");
    }
  }

  static @Nullable String weight(int weight) {
    return weight < 0 ? "weight " + weight + " < 0" : null;
  }

  /** A route, mirror or egress-proxy destination: host, subset and port. */
  static void destination(@Nullable Destination d, String path, Issues out) {
    if (d == null) {
      return;
    }
    if ("*".equals(d.host())) {
      out.error(path + ".host", "invalid destination host *");
    } else {
      out.error(path + ".host", Primitives.wildcardDomain(d.hostOrEmpty()));
    }
    if (!d.subsetOrEmpty().isEmpty()) {
      out.error(path + ".subset", subsetName(d.subsetOrEmpty()));
    }
    if (d.port() != null) {
      out.error(path + ".port", Primitives.port(d.port().num()));
    }
  }

  static @Nullable String subsetName(String name) {
    if (name.isEmpty()) {
      return "subset name cannot be empty";
    }
    return Primitives.isDns1123Label(name) ? null : "subset name is invalid: " + name;
  }
}
