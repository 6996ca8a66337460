package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import static dev.sluice.config.validation.Primitives.orEmpty;
import static dev.sluice.config.GoStrings.quote;

import dev.sluice.config.istio.Common.Port;
import dev.sluice.config.istio.Common.ServerTls;
import dev.sluice.config.istio.Common.TlsCertificate;
import dev.sluice.config.istio.Gateway;
import dev.sluice.config.istio.Gateway.Server;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Istio's {@code ValidateGateway}: name, servers, hosts, ports, binds and server TLS settings. */
final class GatewayValidator {
  private GatewayValidator() {}

  private static final Set<String> CIPHERS = Set.of("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
      "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
      "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA",
      "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA");
  static final String[] TLS_MODES = {"PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL",
      "OPTIONAL_MUTUAL"};
  private static final String[] TLS_VERSIONS = {"TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"};

  static void validate(Gateway gw, String name, Issues out) {
    if (!Primitives.isDns1123Label(name)) {
      out.error("metadata.name", "invalid gateway name: " + quote(name));
    }
    if (gw.servers().isEmpty()) {
      out.error("spec.servers", "gateway must have at least one server");
    }
    for (int i = 0; i < gw.servers().size(); i++) {
      server(gw.servers().get(i), "spec.servers[" + i + "]", out);
    }
    Set<String> portNames = new HashSet<>();
    for (int i = 0; i < gw.servers().size(); i++) {
      Server s = gw.servers().get(i);
      if (s.port() == null) {
        continue;
      }
      String portName = s.port().nameOrEmpty();
      if (!portNames.add(portName)) {
        out.error("spec.servers[" + i + "].port.name", "port names in servers must be unique: duplicate name " + portName);
      }
      if (!Protocols.isHttp(s.port().protocolOrEmpty()) && s.tls() != null && s.tls().redirect()) {
        out.warn("spec.servers[" + i + "].tls.httpsRedirect", "tls.httpsRedirect should only be used with http servers");
      }
    }
  }

  private static void server(Server s, String path, Issues out) {
    if (s.hosts().isEmpty()) {
      out.error(path + ".hosts", "server config must contain at least one host");
    }
    for (int i = 0; i < s.hosts().size(); i++) {
      out.errors(path + ".hosts[" + i + "]", namespacedHost(s.hosts().get(i), true));
    }
    Issues portIssues = new Issues();
    serverPort(s.port(), orEmpty(s.bind()), path + ".port", portIssues);
    portIssues.list().forEach(out::add);
    boolean portValid = !portIssues.hasErrors();
    bind(s.port(), orEmpty(s.bind()), path + ".bind", out);
    tlsOptions(s.tls(), path + ".tls", out);
    if (portValid && s.port() != null) {
      String protocol = s.port().protocolOrEmpty();
      if (Protocols.isTls(protocol) && s.tls() == null) {
        out.error(path + ".tls", "server must have TLS settings for HTTPS/TLS protocols");
      } else if (!Protocols.isTls(protocol) && s.tls() != null) {
        ServerTls tls = s.tls();
        if (Protocols.isHttp(protocol)) {
          boolean passthrough = tls.modeOrDefault().equals("PASSTHROUGH") || tls.modeOrDefault().equals("AUTO_PASSTHROUGH");
          if (!passthrough || !orEmpty(tls.caCertificates()).isEmpty() || !orEmpty(tls.privateKey()).isEmpty()
              || !orEmpty(tls.serverCertificate()).isEmpty()) {
            out.error(path + ".tls", "server cannot have TLS settings for plain text HTTP ports");
          }
        } else {
          out.error(path + ".tls", "server cannot have TLS settings for non HTTPS/TLS ports");
        }
      }
    }
  }

  private static void serverPort(@Nullable Port port, String bind, String path, Issues out) {
    if (port == null) {
      out.error(path, "port is required");
      return;
    }
    if (Protocols.parse(port.protocolOrEmpty()) == null) {
      out.error(path + ".protocol", "invalid protocol " + quote(port.protocolOrEmpty())
          + ", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
    }
    if (port.num() > 0 || !bind.startsWith("unix://")) {
      out.error(path + ".number", Primitives.port(port.num()));
    }
    if (port.targetPort() != null && port.targetPort() > 0) {
      out.error(path + ".targetPort", "targetPort has no impact on Gateways");
    }
    if (port.nameOrEmpty().isEmpty()) {
      out.error(path + ".name", "port name must be set: " + goPort(port));
    }
  }

  private static String goPort(Port p) {
    List<String> fields = new ArrayList<>();
    if (p.num() != 0) {
      fields.add("number:" + p.num());
    }
    if (!p.protocolOrEmpty().isEmpty()) {
      fields.add("protocol:" + quote(p.protocolOrEmpty()));
    }
    return "{" + String.join(" ", fields) + "}";
  }

  private static void bind(@Nullable Port port, String bind, String path, Issues out) {
    if (bind.startsWith("unix://")) {
      out.error(path, unixAddress(bind.substring("unix://".length())));
      if (port != null && port.num() != 0) {
        out.error(path, "port number must be 0 for unix domain socket: " + goPort(port));
      }
    } else if (!bind.isEmpty()) {
      out.error(path, IpAddresses.ipAddress(bind));
    }
  }

  static @Nullable String unixAddress(String addr) {
    if (addr.isEmpty()) {
      return "unix address must not be empty";
    }
    if (addr.startsWith("@")) {
      return null;
    }
    if (!addr.startsWith("/") || addr.endsWith("/")) {
      return addr + " is not an absolute path to a file";
    }
    return null;
  }

  /** Gateway and Sidecar hosts: {@code [namespace/]dnsName}. */
  static List<String> namespacedHost(String host, boolean gateway) {
    List<String> errs = new ArrayList<>();
    int slash = host.indexOf('/');
    if (slash < 0) {
      if (gateway) {
        return hostPart(host, true);
      }
      errs.add("host must be of form namespace/dnsName");
      return errs;
    }
    String ns = host.substring(0, slash);
    String name = host.substring(slash + 1);
    if (ns.isEmpty() || name.isEmpty()) {
      errs.add("config namespace and dnsName in host entry cannot be empty");
    }
    if (!gateway) {
      String bare = ns.startsWith("~") ? ns.substring(1) : ns;
      if (!bare.isEmpty() && !bare.equals("*") && !bare.equals(".") && !Primitives.isDns1123Label(bare)) {
        errs.add("invalid namespace value " + quote(ns) + " in sidecar");
      }
    } else if (!ns.equals("*") && !ns.equals(".") && !Primitives.isDns1123Label(ns)) {
      errs.add("invalid namespace value " + quote(ns) + " in gateway");
    }
    errs.addAll(hostPart(name, gateway));
    return errs;
  }

  private static List<String> hostPart(String host, boolean gateway) {
    List<String> errs = new ArrayList<>();
    if (!host.equals("*") && !host.contains(".")) {
      errs.add("short names (non FQDN) are not allowed");
    }
    String err = Primitives.wildcardDomain(host);
    if (err != null) {
      if (!gateway) {
        errs.add(err);
      }
      if (!IpAddresses.isIp(host)) {
        errs.add(err);
      }
    }
    String partial = Primitives.partialWildcard(host);
    if (partial != null) {
      errs.add(partial);
    }
    return errs;
  }

  /** {@code ServerTLSSettings} of Gateway servers and Sidecar ingress listeners. */
  static void tlsOptions(@Nullable ServerTls tls, String path, Issues out) {
    if (tls == null) {
      return;
    }
    out.error(path + ".mode", Primitives.oneOf(path + ".mode", tls.mode(), TLS_MODES));
    out.error(path + ".minProtocolVersion", Primitives.oneOf(path + ".minProtocolVersion", tls.minProtocolVersion(),
        TLS_VERSIONS));
    out.error(path + ".maxProtocolVersion", Primitives.oneOf(path + ".maxProtocolVersion", tls.maxProtocolVersion(),
        TLS_VERSIONS));
    String min = orEmpty(tls.minProtocolVersion());
    if ((min.equals("TLSV1_0") || min.equals("TLSV1_1")) && tls.cipherSuites().isEmpty()) {
      out.warn(path + ".minProtocolVersion", "TLS version below TLSV1_2 require setting compatible ciphers as by"
          + " default they no longer include compatible ciphers.");
    }
    Set<String> invalid = new TreeSet<>();
    Set<String> valid = new HashSet<>();
    Set<String> duplicate = new TreeSet<>();
    for (String cs : tls.cipherSuites()) {
      if (!validCipher(cs)) {
        invalid.add(cs);
      } else if (!valid.add(cs)) {
        duplicate.add(cs);
      }
    }
    if (!invalid.isEmpty()) {
      out.warn(path + ".cipherSuites", "ignoring invalid cipher suites: " + Primitives.goList(invalid));
    }
    if (!duplicate.isEmpty()) {
      out.warn(path + ".cipherSuites", "ignoring duplicate cipher suites: " + Primitives.goList(duplicate));
    }
    String mode = tls.modeOrDefault();
    boolean cert = !orEmpty(tls.serverCertificate()).isEmpty();
    boolean key = !orEmpty(tls.privateKey()).isEmpty();
    boolean ca = !orEmpty(tls.caCertificates()).isEmpty();
    boolean credential = !orEmpty(tls.credentialName()).isEmpty();
    boolean credentials = !tls.credentialNames().isEmpty();
    boolean certs = !tls.tlsCertificates().isEmpty();
    if (mode.equals("ISTIO_MUTUAL")) {
      if (cert) {
        out.error(path, "ISTIO_MUTUAL TLS cannot have associated server certificate");
      }
      if (key) {
        out.error(path, "ISTIO_MUTUAL TLS cannot have associated private key");
      }
      if (ca) {
        out.error(path, "ISTIO_MUTUAL TLS cannot have associated CA bundle");
      }
      if (certs) {
        out.error(path, "ISTIO_MUTUAL TLS cannot have associated tlsCertificates");
      }
      if (credential) {
        out.error(path, "ISTIO_MUTUAL TLS cannot have associated credentialName");
      }
      if (credentials) {
        out.error(path, "ISTIO_MUTUAL TLS cannot have associated credentialNames");
      }
      return;
    }
    boolean crl = !orEmpty(tls.caCrl()).isEmpty();
    if ((mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH"))
        && (crl || cert || key || ca || certs || credential || credentials)) {
      out.warn(path, mode + " mode does not use certificates, they will be ignored");
    }
    int sources = (cert && key ? 1 : 0) + (credential ? 1 : 0) + (credentials ? 1 : 0) + (certs ? 1 : 0);
    if (sources > 1) {
      out.error(path, "only one of credential_name, credential_names, server_certificate/private_key,"
          + " tls_certificates should be specified");
    }
    boolean terminating = mode.equals("SIMPLE") || mode.equals("MUTUAL") || mode.equals("OPTIONAL_MUTUAL");
    if (terminating && (credential || credentials)) {
      return;
    }
    if (terminating) {
      String prefix = mode.equals("SIMPLE") ? "SIMPLE TLS" : "MUTUAL TLS";
      if (!mode.equals("SIMPLE") && !ca) {
        out.error(path, prefix + " requires a client CA bundle");
      }
      if (tls.tlsCertificates().size() > 2) {
        out.warn(path, prefix + " can support up to 2 server certificates");
      }
      List<TlsCertificate> toCheck = certs ? tls.tlsCertificates()
          : List.of(new TlsCertificate(tls.serverCertificate(), tls.privateKey(), null));
      for (TlsCertificate c : toCheck) {
        if (orEmpty(c.serverCertificate()).isEmpty()) {
          out.error(path, prefix + " requires a server certificate");
        }
        if (orEmpty(c.privateKey()).isEmpty()) {
          out.error(path, prefix + " requires a private key");
        }
      }
    }
    if (crl) {
      if (credential) {
        out.error(path, "CRL is not supported with credentialName. CRL has to be specified in the credential");
      }
      if (mode.equals("SIMPLE")) {
        out.error(path, "CRL is not supported with SIMPLE TLS");
      }
    }
  }

  private static boolean validCipher(String cs) {
    if (cs.isEmpty() || cs.equals("ALL")) {
      return true;
    }
    if (!Character.isLetterOrDigit(cs.charAt(0))) {
      return true;
    }
    return CIPHERS.contains(cs);
  }
}
