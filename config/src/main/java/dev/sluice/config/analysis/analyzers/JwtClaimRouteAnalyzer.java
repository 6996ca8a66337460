package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Gateway;
import dev.sluice.config.istio.RequestAuthentication;
import dev.sluice.config.istio.StringMatch;
import dev.sluice.config.istio.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code virtualservice.JWTClaimRouteAnalyzer}: a VirtualService that routes on
 * {@code @request.auth.claims} needs a RequestAuthentication selecting every pod of its gateways
 * (IST0149), in {@code istio-system} or the pod's namespace.
 */
final class JwtClaimRouteAnalyzer implements Analyzer {
  private static final String CLAIM_PREFIX = "@request.auth.claims";

  @Override
  public String name() {
    return "virtualservice.JWTClaimRouteAnalyzer";
  }

  @Override
  public String description() {
    return "Checks the VirtualService using JWT claim based routing has corresponding RequestAuthentication";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.VIRTUAL_SERVICE, ResourceKind.REQUEST_AUTHENTICATION, ResourceKind.GATEWAY,
        ResourceKind.POD);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Map<String, List<Map<String, String>>> authnByNamespace = new HashMap<>();
    for (Resource r : s.all(ResourceKind.REQUEST_AUTHENTICATION)) {
      RequestAuthentication ra = (RequestAuthentication) r.spec();
      authnByNamespace.computeIfAbsent(r.namespace(), k -> new ArrayList<>())
          .add(ra.selector() == null ? Map.of() : ra.selector().matchLabels());
    }
    Report report = new Report();
    for (Resource r : s.all(ResourceKind.VIRTUAL_SERVICE)) {
      VirtualService vs = (VirtualService) r.spec();
      String key = claimKey(vs);
      if (key == null) {
        continue;
      }
      for (String gwName : vs.gateways()) {
        if (gwName.equals(VsGatewayAnalyzer.MESH)) {
          continue;
        }
        Hosts.FullName ref = Hosts.shortOrFullName(r.namespace(), gwName);
        Optional<Resource> gw = s.find(ResourceKind.GATEWAY, ref.namespace(), ref.name());
        if (gw.isEmpty()) {
          continue;
        }
        Map<String, String> selector = ((Gateway) gw.get().spec()).selector();
        for (Resource pod : s.all(ResourceKind.POD)) {
          Map<String, String> labels = pod.meta().labels();
          if (!Selectors.matches(selector, labels)) {
            continue;
          }
          List<Map<String, String>> candidates = new ArrayList<>(authnByNamespace.getOrDefault("istio-system", List.of()));
          candidates.addAll(authnByNamespace.getOrDefault(pod.namespace(), List.of()));
          if (candidates.stream().noneMatch(sel -> Selectors.matches(sel, labels))) {
            report.add(r, null, Messages.JWT_CLAIM_BASED_ROUTING_WITHOUT_REQUEST_AUTH_N, key, ref.toString(),
                pod.name());
          }
        }
      }
    }
    return report.messages();
  }

  /** The first header (or withoutHeaders) key of a match that routes on a JWT claim. */
  private static @Nullable String claimKey(VirtualService vs) {
    for (VirtualService.HttpRoute http : vs.http()) {
      for (VirtualService.HttpMatchRequest m : http.match()) {
        for (Map<String, @Nullable StringMatch> headers : nonNull(m.headers(), m.withoutHeaders())) {
          for (String k : headers.keySet()) {
            if (isClaim(k)) {
              return k;
            }
          }
        }
      }
    }
    return null;
  }

  private static List<Map<String, @Nullable StringMatch>> nonNull(@Nullable Map<String, @Nullable StringMatch> a,
      @Nullable Map<String, @Nullable StringMatch> b) {
    List<Map<String, @Nullable StringMatch>> out = new ArrayList<>(2);
    if (a != null) {
      out.add(a);
    }
    if (b != null) {
      out.add(b);
    }
    return out;
  }

  static boolean isClaim(String header) {
    if (!header.toLowerCase(Locale.ROOT).startsWith(CLAIM_PREFIX)) {
      return false;
    }
    String rest = header.substring(CLAIM_PREFIX.length());
    return rest.startsWith(".") && rest.length() > 1
        || rest.startsWith("[") && rest.endsWith("]") && rest.length() > 2;
  }
}
