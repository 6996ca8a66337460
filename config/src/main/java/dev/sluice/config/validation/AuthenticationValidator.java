package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import static dev.sluice.config.validation.Primitives.orEmpty;
import static dev.sluice.config.GoStrings.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.istio.Common.LabelSelector;
import dev.sluice.config.istio.Common.TargetRef;
import dev.sluice.config.istio.PeerAuthentication;
import dev.sluice.config.istio.RequestAuthentication;
import dev.sluice.config.istio.RequestAuthentication.ClaimToHeader;
import dev.sluice.config.istio.RequestAuthentication.JwtHeader;
import dev.sluice.config.istio.RequestAuthentication.JwtRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Istio's {@code ValidatePeerAuthentication} and {@code ValidateRequestAuthentication}, plus the
 * selector and {@code targetRef} rules all security policies share.
 */
final class AuthenticationValidator {
  private AuthenticationValidator() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] MTLS_MODES = {"UNSET", "DISABLE", "PERMISSIVE", "STRICT"};
  private static final String GROUP_PATTERN = "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  private static final String KIND_PATTERN = "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";
  private static final String HEADER_PATTERN = "^[-_A-Za-z0-9]+$";

  static void peer(PeerAuthentication pa, Issues out) {
    if (pa.mtls() != null) {
      out.error("spec.mtls.mode", Primitives.oneOf("spec.mtls.mode", pa.mtls().mode(), MTLS_MODES));
    }
    boolean emptySelector = pa.selector() == null || pa.selector().matchLabels().isEmpty();
    Map<String, PeerAuthentication.MutualTls> ports = pa.portLevelMtls();
    if (emptySelector && ports != null && !ports.isEmpty()) {
      out.error("spec.portLevelMtls",
          "mesh/namespace peer authentication cannot have port level mTLS (portLevelMtls requires selector)");
    }
    if (ports != null && ports.isEmpty()) {
      out.error("spec.portLevelMtls", "port level mTLS, if defined, must have at least one element"
          + " (spec.portLevelMtls in body should have at least 1 properties)");
    }
    if (ports != null) {
      ports.forEach((key, mtls) -> {
        String path = "spec.portLevelMtls[" + key + "]";
        if (!key.matches("[0-9]{1,18}")) {
          out.error(path, "port " + quote(key) + " is not a number (spec.portLevelMtls: Invalid value: \"object\":"
              + " type conversion error from 'string' to 'int')");
        } else {
          long port = Long.parseLong(key);
          if (port <= 0 || port > 65535) {
            out.error(path, "port must be in range 1..65535 (port must be between 1-65535)");
          }
        }
        if (mtls != null) {
          out.error(path + ".mode", Primitives.oneOf(path + ".mode", mtls.mode(), MTLS_MODES));
        }
      });
    }
    selector(pa.selector(), out);
  }

  static void request(RequestAuthentication ra, Issues out) {
    policyTargets(ra.selector(), ra.targetRef(), ra.targetRefs(), out);
    for (int i = 0; i < ra.jwtRules().size(); i++) {
      jwtRule(ra.jwtRules().get(i), "spec.jwtRules[" + i + "]", out);
    }
  }

  /** {@code selector}, {@code targetRef} and {@code targetRefs}: at most one, each well formed. */
  static void policyTargets(@Nullable LabelSelector selector, @Nullable TargetRef targetRef, List<TargetRef> targetRefs,
      Issues out) {
    int set = (selector != null ? 1 : 0) + (targetRef != null ? 1 : 0) + (targetRefs.isEmpty() ? 0 : 1);
    if (set > 1) {
      out.error("spec", "only one of targetRefs or selector can be set"
          + " (only one of targetRefs or workloadSelector can be set)");
    }
    selector(selector, out);
    targetRef(targetRef, "spec.targetRef", out);
    for (int i = 0; i < targetRefs.size(); i++) {
      targetRef(targetRefs.get(i), "spec.targetRefs[" + i + "]", out);
    }
  }

  static void selector(@Nullable LabelSelector selector, Issues out) {
    if (selector == null) {
      return;
    }
    out.errors("spec.selector", Primitives.selectorErrors(selector.matchLabels()));
    if (selector.matchLabels().isEmpty()) {
      out.warn("spec.selector", "workload selector specified without labels");
    }
  }

  private static void targetRef(@Nullable TargetRef ref, String path, Issues out) {
    if (ref == null) {
      return;
    }
    String name = orEmpty(ref.name());
    if (name.isEmpty()) {
      out.error(path + ".name", "targetRef name must be set (" + path + ".name: Required value)");
    }
    if (!orEmpty(ref.namespace()).isEmpty()) {
      out.error(path + ".namespace", "targetRef namespace must not be set; cross namespace referencing is not supported"
          + " (cross namespace referencing is not currently supported)");
    }
    String group = orEmpty(ref.group());
    String kind = orEmpty(ref.kind());
    if (!group.matches(GROUP_PATTERN)) {
      out.error(path + ".group", path + ".group in body should match '" + GROUP_PATTERN + "'");
    }
    if (!kind.matches(KIND_PATTERN)) {
      out.error(path + ".kind", path + ".kind in body should match '" + KIND_PATTERN + "'");
    }
    String canonical = group.isEmpty() ? "core" : group;
    boolean allowed = switch (kind) {
      case "Service" -> canonical.equals("core");
      case "ServiceEntry" -> canonical.equals("networking.istio.io");
      case "Gateway", "GatewayClass" -> canonical.equals("gateway.networking.k8s.io");
      default -> false;
    };
    if (!allowed) {
      out.error(path, "targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry"
          + " gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass] but was " + group + "/" + kind);
    }
  }

  private static void jwtRule(JwtRule rule, String path, Issues out) {
    for (int i = 0; i < rule.audiences().size(); i++) {
      if (rule.audiences().get(i).isEmpty()) {
        out.error(path + ".audiences", "audience must be non-empty string (" + path + ".audiences[" + i
            + "] in body should be at least 1 chars long)");
      }
    }
    String jwksUri = rule.jwksUri() != null ? rule.jwksUri() : orEmpty(rule.jwksUriLegacy());
    if (orEmpty(rule.issuer()).isEmpty() && jwksUri.isEmpty()) {
      out.error(path, "issuer or jwksUri must be non-empty string");
    }
    int sources = (rule.jwksUri() != null ? 1 : 0) + (rule.jwksUriLegacy() != null ? 1 : 0) + (rule.jwks() != null ? 1 : 0);
    if (sources > 1) {
      out.error(path, "only one of jwks or jwksUri can be set");
    }
    if (!jwksUri.isEmpty()) {
      out.error(path + ".jwksUri", jwksUri(jwksUri));
    }
    if (!orEmpty(rule.jwks()).isEmpty()) {
      jwks(rule.jwks(), path + ".jwks", out);
    }
    for (int i = 0; i < rule.fromHeaders().size(); i++) {
      JwtHeader h = rule.fromHeaders().get(i);
      String hp = path + ".fromHeaders[" + i + "].name";
      if (orEmpty(h.name()).isEmpty()) {
        out.error(hp, "location header name must be non-empty string ("
            + (h.name() == null ? hp + ": Required value" : hp + " in body should be at least 1 chars long") + ")");
      }
    }
    emptyEntries(rule.fromParams(), path + ".fromParams", "location query must be non-empty string", out);
    emptyEntries(rule.fromCookies(), path + ".fromCookies", "cookie name must be non-empty string", out);
    for (int i = 0; i < rule.outputClaimToHeaders().size(); i++) {
      ClaimToHeader c = rule.outputClaimToHeaders().get(i);
      String cp = path + ".outputClaimToHeaders[" + i + "]";
      String claim = orEmpty(c.claim());
      String header = orEmpty(c.header());
      if (claim.isEmpty() || header.isEmpty()) {
        List<String> crd = new ArrayList<>();
        if (header.isEmpty()) {
          crd.add(cp + ".header in body should be at least 1 chars long");
        }
        if (claim.isEmpty()) {
          crd.add(cp + ".claim in body should be at least 1 chars long");
        }
        out.error(cp, "outputClaimToHeaders header and claim value must be non-empty string ("
            + String.join(", ", crd) + ")");
        continue;
      }
      if (!header.matches(HEADER_PATTERN)) {
        out.error(cp + ".header", "header name " + header + " is not a valid header name (" + cp
            + ".header in body should match '" + HEADER_PATTERN + "')");
      }
    }
    if (rule.timeout() != null) {
      out.error(path + ".timeout", Primitives.duration(rule.timeout()));
    }
    for (int i = 0; i < rule.spaceDelimitedClaims().size(); i++) {
      if (rule.spaceDelimitedClaims().get(i).isEmpty()) {
        out.error(path + ".spaceDelimitedClaims", path + ".spaceDelimitedClaims[" + i
            + "] in body should be at least 1 chars long");
      }
    }
    out.error(path + ".presence", Primitives.oneOf(path + ".presence", rule.presence(), "OPTIONAL", "REQUIRED"));
  }

  private static void emptyEntries(List<String> values, String path, String webhook, Issues out) {
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).isEmpty()) {
        out.error(path, webhook + " (" + path + "[" + i + "] in body should be at least 1 chars long)");
      }
    }
  }

  /** Only {@code http} and {@code https} URIs with a numeric port, if any. */
  private static @Nullable String jwksUri(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        return "parse " + quote(uri) + ": net/url: invalid control character in URL"
            + " (url must have scheme http:// or https://)";
      }
    }
    int colon = uri.indexOf(':');
    String scheme = colon > 0 && uri.substring(0, colon).matches("[a-zA-Z][a-zA-Z0-9+.-]*")
        ? uri.substring(0, colon).toLowerCase(java.util.Locale.ROOT) : "";
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "URI scheme " + quote(scheme) + " is not supported (url must have scheme http:// or https://)";
    }
    String rest = uri.substring(colon + 1);
    if (rest.startsWith("//")) {
      String authority = rest.substring(2).split("[/?#]", 2)[0];
      int at = authority.lastIndexOf('@');
      String hostPort = authority.substring(at + 1);
      int close = hostPort.lastIndexOf(']');
      int portColon = hostPort.lastIndexOf(':');
      if (portColon > close) {
        String port = hostPort.substring(portColon + 1);
        if (!port.matches("[0-9]*")) {
          return "parse " + quote(uri) + ": invalid port " + quote(":" + port) + " after host";
        }
      }
    }
    return null;
  }

  private static void jwks(String jwks, String path, Issues out) {
    JsonNode node;
    try {
      node = JSON.readTree(jwks);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      out.error(path, "jwks parse error: failed to unmarshal JSON into key set: " + e.getOriginalMessage());
      return;
    }
    if (node == null || !node.isObject()) {
      out.error(path, "jwks parse error: failed to unmarshal JSON into key set: expected a JSON object");
      return;
    }
    List<JsonNode> keys = new ArrayList<>();
    if (node.has("keys")) {
      node.get("keys").forEach(keys::add);
    } else {
      keys.add(node);
    }
    for (int i = 0; i < keys.size(); i++) {
      JsonNode k = keys.get(i);
      if (!k.isObject() || !k.path("kty").isTextual()) {
        out.error(path, "jwks parse error: failed to parse key at index " + i + ": invalid key type");
        return;
      }
      if (k.has("d") || k.path("kty").asText().equals("oct")) {
        out.warn(path, "jwks key at index " + i + " contains private key material; only public keys are used for"
            + " verification");
      }
    }
  }
}
