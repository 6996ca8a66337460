package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.istio.AuthorizationPolicy;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.config.istio.Gateway;
import dev.sluice.config.istio.PeerAuthentication;
import dev.sluice.config.istio.RequestAuthentication;
import dev.sluice.config.istio.ServiceEntry;
import dev.sluice.config.istio.Sidecar;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.config.istio.WorkloadEntry;
import org.jspecify.annotations.Nullable;

/**
 * Istio's admission checks (the validating webhook plus the CRD schema rules) for one resource.
 * Pure: the result depends only on the resource.
 *
 * <pre>{@code
 * ValidationResult r = Validation.validate(resource);
 * r.errors().forEach(i -> System.out.println(i.path() + ": " + i.message()));
 * }</pre>
 *
 * <p>Errors carry Istio's own texts (for example {@code duration must be greater than 1ms}); where
 * the CRD schema words a rule differently, both texts appear in the message. Unreachable and
 * shadowed VirtualService rules are reported with their analyzer codes IST0130 and IST0131.
 */
public final class Validation {
  private Validation() {}

  private static final String DRY_RUN = "istio.io/dry-run";

  /** Validates {@code resource}; Kubernetes kinds always pass. */
  public static ValidationResult validate(Resource resource) {
    if (!resource.kind().isIstio()) {
      return ValidationResult.OK;
    }
    Issues out = new Issues();
    if (!metadata(resource, out)) {
      return new ValidationResult(out.list());
    }
    String ns = resource.namespace();
    switch (resource.spec()) {
      case VirtualService vs -> VirtualServiceValidator.validate(vs, ns, out);
      case DestinationRule dr -> DestinationRuleValidator.validate(dr, ns, out);
      case Gateway gw -> GatewayValidator.validate(gw, resource.name(), out);
      case ServiceEntry se -> {
        if (specRequired(resource, out)) {
          ServiceEntryValidator.validate(se, resource.meta(), out);
        }
      }
      case WorkloadEntry we -> {
        if (specRequired(resource, out)) {
          ServiceEntryValidator.workloadEntry(we, null, true, "spec", out);
        }
      }
      case Sidecar sc -> SidecarValidator.validate(sc, ns, out);
      case PeerAuthentication pa -> AuthenticationValidator.peer(pa, out);
      case AuthorizationPolicy ap -> AuthorizationPolicyValidator.validate(ap, rawSpec(resource), out);
      case RequestAuthentication ra -> AuthenticationValidator.request(ra, out);
      default -> { }
    }
    return out.size() == 0 ? ValidationResult.OK : new ValidationResult(out.list());
  }

  /** Annotations every Istio kind is checked for; false when the resource is rejected outright. */
  private static boolean metadata(Resource r, Issues out) {
    String dryRun = r.meta().annotations().get(DRY_RUN);
    String id = r.namespace() + "/" + r.name();
    if (dryRun != null) {
      if (r.kind() != ResourceKind.AUTHORIZATION_POLICY) {
        out.error("metadata.annotations", id + " has unsupported annotation " + DRY_RUN + ", please remove the annotation");
        return false;
      }
      String action = ((AuthorizationPolicy) r.spec()).actionOrDefault();
      if (!action.equals("ALLOW") && !action.equals("DENY")) {
        out.error("metadata.annotations", "the annotation " + DRY_RUN + " currently only supports action ALLOW/DENY,"
            + " found action " + action + " in " + id);
        return false;
      }
      if (!isGoBool(dryRun)) {
        out.error("metadata.annotations", id + " has annotation " + DRY_RUN + " with invalid value (" + dryRun
            + "): strconv.ParseBool: parsing " + GoStrings.quote(dryRun) + ": invalid syntax");
        return false;
      }
    }
    for (String reserved : new String[] {"internal.istio.io/webhook-always-reject"}) {
      if (r.meta().annotations().containsKey(reserved)) {
        out.error("metadata.annotations", GoStrings.quote(reserved) + " annotation found, rejecting");
        return false;
      }
    }
    for (String internal : new String[] {"internal.istio.io/parent-namespace", "internal.istio.io/parents"}) {
      if (r.meta().annotations().containsKey(internal)) {
        out.error("metadata.annotations", GoStrings.quote(internal) + " annotation found, this may not be set by users");
        return false;
      }
    }
    return true;
  }

  private static boolean isGoBool(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False" -> true;
      default -> false;
    };
  }

  /**
   * ServiceEntry and WorkloadEntry CRDs require {@code spec}; the loader reads a missing spec as an
   * empty one, so the document as written is consulted.
   */
  private static boolean specRequired(Resource r, Issues out) {
    JsonNode raw = r.raw();
    if (raw != null && (raw.path("spec").isMissingNode() || raw.path("spec").isNull())) {
      out.error("spec", "spec: Required value");
      return false;
    }
    return true;
  }

  private static @Nullable JsonNode rawSpec(Resource r) {
    JsonNode raw = r.raw();
    return raw == null ? null : raw.path("spec");
  }
}
