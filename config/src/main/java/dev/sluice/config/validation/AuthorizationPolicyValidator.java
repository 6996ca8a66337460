package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import static dev.sluice.config.validation.Primitives.orEmpty;
import static dev.sluice.config.GoStrings.quote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.istio.AuthorizationPolicy;
import dev.sluice.config.istio.AuthorizationPolicy.Condition;
import dev.sluice.config.istio.AuthorizationPolicy.From;
import dev.sluice.config.istio.AuthorizationPolicy.Operation;
import dev.sluice.config.istio.AuthorizationPolicy.Rule;
import dev.sluice.config.istio.AuthorizationPolicy.Source;
import dev.sluice.config.istio.AuthorizationPolicy.To;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Istio's {@code ValidateAuthorizationPolicy}. */
final class AuthorizationPolicyValidator {
  private AuthorizationPolicyValidator() {}

  private static final String NEVER_TRIGGERED = " without `rules` is meaningless as it will never be triggered,"
      + " add an empty rule `{}` if you want it be triggered for every request";

  /**
   * @param rawSpec the spec as written, to tell {@code from: []} (an error) from an absent
   *     {@code from}, which the model cannot
   */
  static void validate(AuthorizationPolicy ap, @Nullable JsonNode rawSpec, Issues out) {
    AuthenticationValidator.policyTargets(ap.selector(), ap.targetRef(), ap.targetRefs(), out);
    out.error("spec.action", Primitives.oneOf("spec.action", ap.action(), "ALLOW", "DENY", "AUDIT", "CUSTOM"));
    String action = ap.actionOrDefault();
    List<Rule> rules = ap.rules() == null ? List.of() : ap.rules();
    if (action.equals("CUSTOM")) {
      if (ap.rules() == null) {
        out.error("spec.rules", "CUSTOM action" + NEVER_TRIGGERED);
      } else if (ap.provider() == null || orEmpty(ap.provider().name()).isEmpty()) {
        out.error("spec.provider", "`provider.name` must not be empty");
      }
      for (int i = 0; i < rules.size(); i++) {
        customUnsupported(rules.get(i), "spec.rules[" + i + "]", out);
      }
    }
    if (ap.provider() != null && !action.equals("CUSTOM")) {
      out.error("spec.provider", "`provider` must not be with non CUSTOM action, found " + action);
    }
    if (action.equals("DENY") && ap.rules() == null) {
      out.error("spec.rules", "DENY action" + NEVER_TRIGGERED);
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rawRule = rawSpec == null ? null : rawSpec.path("rules").path(i);
      rule(rules.get(i), i, rawRule, action, out);
    }
  }

  private static void customUnsupported(Rule rule, String path, Issues out) {
    for (From from : rule.from()) {
      Source s = from.source();
      if (s == null) {
        continue;
      }
      Map<String, List<String>> fields = Map.of("From.Namespaces", s.namespaces(), "From.NotNamespaces",
          s.notNamespaces(), "From.ServiceAccounts", s.serviceAccounts(), "From.NotServiceAccounts",
          s.notServiceAccounts(), "From.TrustDomains", s.trustDomains(), "From.NotTrustDomains", s.notTrustDomains(),
          "From.Principals", s.principals(), "From.NotPrincipals", s.notPrincipals(), "From.RequestPrincipals",
          s.requestPrincipals(), "From.NotRequestPrincipals", s.notRequestPrincipals());
      fields.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted()
          .forEach(name -> out.error(path + ".from", name + " is currently not supported with CUSTOM action"));
    }
    for (Condition c : rule.when()) {
      String key = orEmpty(c.key());
      if (key.equals("source.namespace") || key.equals("source.serviceAccount") || key.equals("source.trustDomain")
          || key.equals("source.principal") || key.startsWith("request.auth.")) {
        out.error(path + ".when", key + " is currently not supported with CUSTOM action");
      }
    }
  }

  private static void rule(Rule rule, int i, @Nullable JsonNode raw, String action, Issues out) {
    String path = "spec.rules[" + i + "]";
    if (raw != null && raw.path("from").isArray() && raw.path("from").isEmpty()) {
      out.error(path + ".from", "`from` must not be empty, found at rule " + i);
    }
    boolean tcpInFrom = false;
    boolean tcpInTo = false;
    boolean fromExists = false;
    boolean toExists = false;
    for (int f = 0; f < rule.from().size(); f++) {
      Source s = rule.from().get(f).source();
      String fp = path + ".from[" + f + "].source";
      if (s == null) {
        out.error(fp, "`from.source` must not be nil, found at rule " + i);
        continue;
      }
      fromExists = true;
      if (!(s.principals().isEmpty() && s.notPrincipals().isEmpty() && s.namespaces().isEmpty()
          && s.notNamespaces().isEmpty()) && !(s.serviceAccounts().isEmpty() && s.notServiceAccounts().isEmpty())) {
        out.error(fp, "cannot set serviceAccounts with namespaces or principals, found at rule " + i
            + " (Cannot set serviceAccounts with namespaces or principals)");
      }
      if (s.isEmpty()) {
        out.error(fp, "`from.source` must not be empty, found at rule " + i);
      }
      for (List<String> ips : List.of(s.ipBlocks(), s.notIpBlocks(), s.remoteIpBlocks(), s.notRemoteIpBlocks())) {
        out.errors(fp, ips(ips));
      }
      out.error(fp, emptyValues("Principals", s.principals()));
      out.error(fp, emptyValues("RequestPrincipals", s.requestPrincipals()));
      out.error(fp, emptyValues("Namespaces", s.namespaces()));
      out.error(fp, serviceAccounts("ServiceAccounts", s.serviceAccounts()));
      out.error(fp, trustDomains("TrustDomains", s.trustDomains()));
      out.error(fp, emptyValues("IpBlocks", s.ipBlocks()));
      out.error(fp, emptyValues("RemoteIpBlocks", s.remoteIpBlocks()));
      out.error(fp, emptyValues("NotPrincipals", s.notPrincipals()));
      out.error(fp, emptyValues("NotRequestPrincipals", s.notRequestPrincipals()));
      out.error(fp, emptyValues("NotNamespaces", s.notNamespaces()));
      out.error(fp, serviceAccounts("NotServiceAccounts", s.notServiceAccounts()));
      out.error(fp, trustDomains("NotTrustDomains", s.notTrustDomains()));
      out.error(fp, emptyValues("NotIpBlocks", s.notIpBlocks()));
      out.error(fp, emptyValues("NotRemoteIpBlocks", s.notRemoteIpBlocks()));
      tcpInFrom |= !(s.principals().isEmpty() && s.notPrincipals().isEmpty() && s.ipBlocks().isEmpty()
          && s.notIpBlocks().isEmpty() && s.namespaces().isEmpty() && s.notNamespaces().isEmpty()
          && s.remoteIpBlocks().isEmpty() && s.notRemoteIpBlocks().isEmpty() && s.serviceAccounts().isEmpty()
          && s.notServiceAccounts().isEmpty());
    }
    if (raw != null && raw.path("to").isArray() && raw.path("to").isEmpty()) {
      out.error(path + ".to", "`to` must not be empty, found at rule " + i);
    }
    for (int t = 0; t < rule.to().size(); t++) {
      To to = rule.to().get(t);
      Operation op = to.operation();
      String tp = path + ".to[" + t + "].operation";
      if (op == null) {
        out.error(tp, "`to.operation` must not be nil, found at rule " + i);
        continue;
      }
      toExists = true;
      if (op.isEmpty()) {
        out.error(tp, "`to.operation` must not be empty, found at rule " + i);
      }
      out.errors(tp, ports(op.ports()));
      out.errors(tp, ports(op.notPorts()));
      out.error(tp, emptyValues("Ports", op.ports()));
      out.error(tp, emptyValues("Methods", op.methods()));
      out.error(tp, emptyValues("Paths", op.paths()));
      out.error(tp, emptyValues("Hosts", op.hosts()));
      out.error(tp, emptyValues("NotPorts", op.notPorts()));
      out.error(tp, emptyValues("NotMethods", op.notMethods()));
      out.error(tp, emptyValues("NotPaths", op.notPaths()));
      out.error(tp, emptyValues("NotHosts", op.notHosts()));
      out.error(tp, Attributes.pathTemplates("Paths", op.paths()));
      out.error(tp, Attributes.pathTemplates("NotPaths", op.notPaths()));
      tcpInTo |= !op.ports().isEmpty() || !op.notPorts().isEmpty();
    }
    for (int w = 0; w < rule.when().size(); w++) {
      Condition c = rule.when().get(w);
      String wp = path + ".when[" + w + "]";
      String key = orEmpty(c.key());
      if (key.isEmpty()) {
        out.error(wp + ".key", "`key` must not be empty");
      } else if (c.values().isEmpty() && c.notValues().isEmpty()) {
        out.error(wp, "at least one of `values` or `notValues` must be set for key " + key);
      } else {
        String err = Attributes.validate(key, c.values());
        if (err != null) {
          out.error(wp + ".values", "invalid `value` for `key` " + key + ": " + err);
        }
        err = Attributes.validate(key, c.notValues());
        if (err != null) {
          out.error(wp + ".notValues", "invalid `notValue` for `key` " + key + ": " + err);
        }
      }
    }
    if (((fromExists && !toExists && !tcpInFrom) || (toExists && !tcpInTo)) && action.equals("DENY")) {
      out.warn(path, "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use"
          + " of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port");
    }
  }

  static @Nullable String emptyValues(String key, List<String> values) {
    return values.contains("") ? "empty value not allowed, found in " + key : null;
  }

  static @Nullable String wildcardValues(String key, List<String> values) {
    String err = emptyValues(key, values);
    if (err != null) {
      return err;
    }
    for (String v : values) {
      long stars = v.chars().filter(c -> c == '*').count();
      if (stars > 1) {
        return "at most one wildcard is allowed, found in " + key + ": " + quote(v);
      }
      if (stars == 1 && !v.equals("*") && !v.startsWith("*") && !v.endsWith("*")) {
        return "wildcard is only allowed at the start or end, found in " + key + ": " + quote(v);
      }
    }
    return null;
  }

  private static @Nullable String trustDomains(String key, List<String> values) {
    String err = wildcardValues(key, values);
    if (err != null) {
      return err;
    }
    for (String v : values) {
      if (v.contains("/")) {
        return "trust domain must not contain '/', found in " + key + ": " + quote(v);
      }
    }
    return null;
  }

  static @Nullable String serviceAccounts(String key, List<String> values) {
    if (values.size() > 16) {
      return "may not have more than 16 values";
    }
    String format = "expected format 'serviceAccount' or 'namespace/serviceAccount', found ";
    for (String v : values) {
      if (v.isEmpty()) {
        return "empty value not allowed, found in " + key;
      }
      if (v.contains("*")) {
        return "wildcard not allowed, found in " + key;
      }
      long slashes = v.chars().filter(c -> c == '/').count();
      if (slashes > 1) {
        return format + quote(v) + " in " + key;
      }
      if (v.length() > 320) {
        return "value cannot exceed 320 characters, found " + quote(v) + " in " + key;
      }
      int slash = v.indexOf('/');
      if (slash == 0) {
        return format + "empty namespace " + quote(v) + " in " + key;
      }
      if (slash == v.length() - 1) {
        return format + "empty serviceAccount " + quote(v) + " in " + key;
      }
    }
    return null;
  }

  static List<String> ips(List<String> ips) {
    List<String> errs = new ArrayList<>();
    for (String v : ips) {
      if (v.contains("/")) {
        if (!IpAddresses.isCidr(v)) {
          errs.add("bad CIDR range (" + v + "): netip.ParsePrefix(" + quote(v) + "): invalid prefix");
        }
      } else if (!IpAddresses.isIp(v)) {
        errs.add("bad IP address (" + v + ")");
      }
    }
    return errs;
  }

  static List<String> ports(List<String> ports) {
    List<String> errs = new ArrayList<>();
    for (String p : ports) {
      if (!p.matches("[0-9]{1,10}")) {
        errs.add("bad port (" + p + "): strconv.ParseUint: parsing " + quote(p) + ": invalid syntax");
      } else if (Long.parseLong(p) > 65535) {
        errs.add("bad port (" + p + "): <nil>");
      }
    }
    return errs;
  }
}
