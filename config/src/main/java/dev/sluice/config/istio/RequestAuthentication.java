package dev.sluice.config.istio;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sluice.config.Immutables;
import dev.sluice.config.istio.Common.LabelSelector;
import dev.sluice.config.istio.Common.TargetRef;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code security.istio.io RequestAuthentication}: JWT validation for workloads. */
public record RequestAuthentication(
    @Nullable LabelSelector selector,
    @Nullable TargetRef targetRef,
    List<TargetRef> targetRefs,
    List<JwtRule> jwtRules) implements Spec {

  public RequestAuthentication {
    targetRefs = Immutables.list(targetRefs);
    jwtRules = Immutables.list(jwtRules);
  }

  /** {@code JWTRule}. */
  public record JwtRule(
      @Nullable String issuer,
      List<String> audiences,
      @Nullable String jwksUri,
      @JsonProperty("jwks_uri") @Nullable String jwksUriLegacy,
      @Nullable String jwks,
      List<JwtHeader> fromHeaders,
      List<String> fromParams,
      List<String> fromCookies,
      @Nullable String outputPayloadToHeader,
      @Nullable Boolean forwardOriginalToken,
      List<ClaimToHeader> outputClaimToHeaders,
      @Nullable String timeout,
      List<String> spaceDelimitedClaims,
      @Nullable String presence) {
    public JwtRule {
      audiences = Immutables.list(audiences);
      fromHeaders = Immutables.list(fromHeaders);
      fromParams = Immutables.list(fromParams);
      fromCookies = Immutables.list(fromCookies);
      outputClaimToHeaders = Immutables.list(outputClaimToHeaders);
      spaceDelimitedClaims = Immutables.list(spaceDelimitedClaims);
    }
  }

  /** {@code JWTHeader}. */
  public record JwtHeader(@Nullable String name, @Nullable String prefix) {}

  /** {@code ClaimToHeader}. */
  public record ClaimToHeader(@Nullable String header, @Nullable String claim) {}
}
