package dev.sluice.config.validation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** AuthorizationPolicy {@code when} keys and their values, and {@code paths} templates. */
final class Attributes {
  private Attributes() {}

  private static final java.util.regex.Pattern LITERAL =
      java.util.regex.Pattern.compile("^[a-zA-Z0-9-._~%!$&'()+,;:@=]+$");

  /** Why {@code values} do not suit the attribute {@code key}, or null. */
  static @Nullable String validate(String key, List<String> values) {
    String err = AuthorizationPolicyValidator.emptyValues(key, values);
    if (err != null) {
      return err;
    }
    if (key.startsWith("request.headers") || key.startsWith("request.auth.claims")
        || key.startsWith("experimental.envoy.filters.")) {
      return mapKey(key);
    }
    return switch (key) {
      case "source.ip", "remote.ip", "destination.ip" -> {
        List<String> errs = AuthorizationPolicyValidator.ips(values);
        yield errs.isEmpty() ? null : String.join("; ", errs);
      }
      case "source.serviceAccount" -> AuthorizationPolicyValidator.serviceAccounts(key, values);
      case "source.trustDomain" -> AuthorizationPolicyValidator.wildcardValues(key, values);
      case "destination.port" -> {
        List<String> errs = AuthorizationPolicyValidator.ports(values);
        yield errs.isEmpty() ? null : String.join("; ", errs);
      }
      case "source.namespace", "source.principal", "request.auth.principal", "request.auth.audiences",
          "request.auth.presenter", "connection.sni" -> null;
      case "destination.namespace" -> "attribute " + key + " is replaced by the metadata.namespace";
      case "destination.name", "destination.user" -> "deprecated attribute " + key + ": only supported in v1alpha1";
      default -> key.startsWith("destination.labels") ? "attribute " + key + " is replaced by the workload selector"
          : "unknown attribute: " + key;
    };
  }

  private static @Nullable String mapKey(String key) {
    int open = key.indexOf('[');
    if (key.endsWith("]") && open > 0 && open < key.length() - 2) {
      return null;
    }
    return "bad key (" + key + "): should have format a[b]";
  }

  /** {@code {*}} and {@code {**}} path templates; {@code {**}} must be last. */
  static @Nullable String pathTemplates(String key, List<String> paths) {
    for (String original : paths) {
      boolean template = original.contains("{*}") || original.contains("{**}");
      String path = original.replaceAll("^/+|/+$", "");
      boolean matchAny = false;
      for (String glob : path.split("/", -1)) {
        if (glob.equals("{*}") && !matchAny) {
          continue;
        }
        if (glob.equals("{**}") && !matchAny) {
          matchAny = true;
          continue;
        }
        String prefix = "invalid or unsupported path " + path + ", found in " + key + ". ";
        if (glob.equals("{**}") || glob.equals("{*}")) {
          return prefix + "{**} is not the last operator";
        }
        if (glob.contains("{") || glob.contains("}")) {
          return prefix + "Contains '{' or '}' beyond a supported path template";
        }
        if (template && !LITERAL.matcher(glob).matches()) {
          return prefix + "Contains segment " + glob + " with invalid string literal";
        }
      }
    }
    return null;
  }
}
