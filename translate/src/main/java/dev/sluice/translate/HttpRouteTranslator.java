package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.sluice.config.Resource;
import dev.sluice.config.istio.Common.Destination;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.config.istio.VirtualService.HttpMatchRequest;
import dev.sluice.config.istio.VirtualService.HttpRoute;
import dev.sluice.config.istio.VirtualService.HttpRouteDestination;
import dev.sluice.registry.MeshService;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a VirtualService's HTTP rules into Envoy routes for one proxy, in order: each rule gives one
 * route per applicable match (the matches are ORed), and a rule without matches is a catch-all
 * after which later rules are unreachable and dropped. Matches on {@code port}, {@code
 * sourceLabels}, {@code sourceNamespace} and {@code gateways} are decided here, per proxy.
 */
final class HttpRouteTranslator {
  private HttpRouteTranslator() {}

  /**
   * Where the routes are installed: the port the route configuration serves and the gateways the
   * proxy plays ({@code mesh} for sidecars, {@code ns/name} of each Gateway for routers).
   */
  record Context(int port, Set<String> gateways) {}

  /** The routes of {@code vsRes} for {@code ctx}, possibly empty. */
  static List<Route> buildRoutes(ProxyView view, Resource vsRes, Context ctx) {
    VirtualService vs = (VirtualService) vsRes.spec();
    List<Route> out = new ArrayList<>();
    for (HttpRoute rule : vs.http()) {
      if (addRule(view, vsRes, vsRes.namespace(), rule, null, ctx, out, 0)) {
        break;
      }
    }
    return out;
  }

  /** Adds the routes of one rule; true when it was a catch-all. */
  private static boolean addRule(ProxyView view, Resource vsRes, String ns, HttpRoute rule,
      @Nullable HttpMatchRequest parent, Context ctx, List<Route> out, int depth) {
    VirtualService vs = (VirtualService) vsRes.spec();
    List<@Nullable HttpMatchRequest> matches = new ArrayList<>();
    if (rule.match().isEmpty()) {
      matches.add(parent);
    } else {
      for (HttpMatchRequest m : rule.match()) {
        if (applies(view, m, vs, ns, ctx)) {
          matches.add(parent == null ? m : merge(parent, m));
        }
      }
      if (matches.isEmpty()) {
        return false;
      }
    }
    if (rule.delegate() != null && depth == 0) {
      Resource delegate = find(view.mesh, rule.delegate().name(),
          rule.delegate().namespace() == null ? ns : rule.delegate().namespace());
      if (delegate == null) {
        return false;
      }
      for (HttpMatchRequest m : matches) {
        for (HttpRoute d : ((VirtualService) delegate.spec()).http()) {
          addRule(view, delegate, delegate.namespace(), d, m, ctx, out, depth + 1);
        }
      }
      return rule.match().isEmpty();
    }
    for (HttpMatchRequest m : matches) {
      out.add(route(view, vsRes, ns, rule, m, ctx));
    }
    return rule.match().isEmpty() && parent == null;
  }

  private static @Nullable Resource find(MeshSnapshot mesh, @Nullable String name, String ns) {
    for (Resource r : mesh.virtualServices()) {
      if (r.name().equals(name) && r.namespace().equals(ns)) {
        return r;
      }
    }
    return null;
  }

  /** A delegate's match within its parent's: fields the delegate sets win, headers are combined. */
  private static HttpMatchRequest merge(HttpMatchRequest p, HttpMatchRequest d) {
    var headers = new java.util.TreeMap<String, dev.sluice.config.istio.@Nullable StringMatch>();
    if (p.headers() != null) {
      headers.putAll(p.headers());
    }
    if (d.headers() != null) {
      headers.putAll(d.headers());
    }
    return new HttpMatchRequest(d.name() != null ? d.name() : p.name(), d.uri() != null ? d.uri() : p.uri(),
        d.scheme() != null ? d.scheme() : p.scheme(), d.method() != null ? d.method() : p.method(),
        d.authority() != null ? d.authority() : p.authority(), headers.isEmpty() ? null : headers,
        d.port() != null ? d.port() : p.port(), d.sourceLabels().isEmpty() ? p.sourceLabels() : d.sourceLabels(),
        d.gateways().isEmpty() ? p.gateways() : d.gateways(), d.queryParams() != null ? d.queryParams() : p.queryParams(),
        d.ignoreUriCase() != null ? d.ignoreUriCase() : p.ignoreUriCase(),
        d.withoutHeaders() != null ? d.withoutHeaders() : p.withoutHeaders(),
        d.sourceNamespace() != null ? d.sourceNamespace() : p.sourceNamespace(), p.statPrefix());
  }

  /** Whether a match applies to this proxy and port (the parts of a match istiod decides statically). */
  private static boolean applies(ProxyView view, HttpMatchRequest m, VirtualService vs, String ns, Context ctx) {
    if (m.port() != null && m.port() != 0 && m.port() != ctx.port()) {
      return false;
    }
    if (!m.sourceLabels().isEmpty() && !Labels.matches(m.sourceLabels(), view.node.labels())) {
      return false;
    }
    if (m.sourceNamespace() != null && !m.sourceNamespace().isEmpty()
        && !m.sourceNamespace().equals(view.node.namespace())) {
      return false;
    }
    List<String> gws = m.gateways().isEmpty() ? vs.gateways() : m.gateways();
    if (gws.isEmpty()) {
      return ctx.gateways().contains("mesh");
    }
    for (String g : gws) {
      if (ctx.gateways().contains(gatewayKey(g, ns))) {
        return true;
      }
    }
    return false;
  }

  /** {@code name} → {@code ns/name}; {@code mesh} stays. */
  static String gatewayKey(String g, String ns) {
    return g.equals("mesh") || g.contains("/") ? g : ns + "/" + g;
  }

  private static Route route(ProxyView view, Resource vsRes, String ns, HttpRoute rule,
      @Nullable HttpMatchRequest m, Context ctx) {
    Route.Builder r = Route.newBuilder().setMatch(RouteParts.match(m));
    String name = rule.name() == null ? "" : rule.name();
    if (m != null && m.name() != null && !m.name().isEmpty()) {
      name = name.isEmpty() ? m.name() : name + "." + m.name();
    }
    r.setName(name);
    r.setMetadata(Metadata.newBuilder().putFilterMetadata("istio", Struct.newBuilder()
        .putFields("config", Value.newBuilder().setStringValue("/apis/networking.istio.io/v1/namespaces/"
            + vsRes.namespace() + "/virtual-service/" + vsRes.name()).build()).build()));
    var routeHeaders = rule.headers() == null ? null : rule.headers().request();
    var responseHeaders = rule.headers() == null ? null : rule.headers().response();
    r.addAllRequestHeadersToAdd(RouteParts.headersToAdd(routeHeaders));
    r.addAllRequestHeadersToRemove(RouteParts.headersToRemove(routeHeaders));
    r.addAllResponseHeadersToAdd(RouteParts.headersToAdd(responseHeaders));
    r.addAllResponseHeadersToRemove(RouteParts.headersToRemove(responseHeaders));
    List<HttpRouteDestination> real = rule.route().stream().filter(d -> d.destination() != null).toList();
    if (real.size() == 1 && real.getFirst().headers() != null) {
      // A single destination's header operations apply to the route itself, as in istiod.
      var dh = real.getFirst().headers();
      r.addAllRequestHeadersToAdd(RouteParts.headersToAdd(dh.request()));
      r.addAllRequestHeadersToRemove(RouteParts.headersToRemove(dh.request()));
      r.addAllResponseHeadersToAdd(RouteParts.headersToAdd(dh.response()));
      r.addAllResponseHeadersToRemove(RouteParts.headersToRemove(dh.response()));
    }
    if (rule.redirect() != null) {
      r.setRedirect(RouteParts.redirect(rule.redirect()));
    } else if (rule.directResponse() != null) {
      var dr = rule.directResponse();
      DirectResponseAction.Builder d = DirectResponseAction.newBuilder().setStatus(dr.status() == null ? 200 : dr.status());
      if (dr.body() != null && dr.body().string() != null) {
        d.setBody(DataSource.newBuilder().setInlineString(dr.body().string()));
      } else if (dr.body() != null && dr.body().bytes() != null) {
        d.setBody(DataSource.newBuilder().setInlineBytes(
            com.google.protobuf.ByteString.copyFrom(Base64.getDecoder().decode(dr.body().bytes()))));
      }
      r.setDirectResponse(d);
    } else {
      r.setRoute(action(view, ns, rule, m, ctx, routeHeaders));
    }
    var fault = RouteParts.fault(rule.fault());
    if (fault != null) {
      r.putTypedPerFilterConfig(RouteParts.FAULT, Any.pack(fault));
    }
    if (rule.corsPolicy() != null && !view.node.isGrpc()) {
      r.putTypedPerFilterConfig(RouteParts.CORS, Any.pack(RouteParts.cors(rule.corsPolicy())));
    }
    return r.build();
  }

  private static RouteAction action(ProxyView view, String ns, HttpRoute rule, @Nullable HttpMatchRequest m,
      Context ctx, VirtualService.@Nullable HeaderOperations routeHeaders) {
    RouteAction.Builder a = RouteAction.newBuilder();
    List<HttpRouteDestination> dests = rule.route().stream()
        .filter(d -> d.destination() != null && (rule.route().size() == 1 || d.weightOrZero() > 0)).toList();
    String firstCluster = null;
    DestinationRule firstDr = null;
    String firstSubset = "";
    int firstPort = ctx.port();
    if (dests.size() == 1) {
      HttpRouteDestination d = dests.getFirst();
      firstCluster = cluster(view, d.destination(), ns, ctx.port());
      a.setCluster(firstCluster);
      String auth = d.headers() == null ? null : RouteParts.authority(d.headers().request());
      if (auth != null) {
        a.setHostRewriteLiteral(auth);
      }
    } else if (!dests.isEmpty()) {
      WeightedCluster.Builder w = WeightedCluster.newBuilder();
      for (HttpRouteDestination d : dests) {
        String c = cluster(view, d.destination(), ns, ctx.port());
        firstCluster = firstCluster == null ? c : firstCluster;
        WeightedCluster.ClusterWeight.Builder cw = WeightedCluster.ClusterWeight.newBuilder().setName(c)
            .setWeight(UInt32Value.of(d.weightOrZero()));
        if (d.headers() != null) {
          cw.addAllRequestHeadersToAdd(RouteParts.headersToAdd(d.headers().request()));
          cw.addAllRequestHeadersToRemove(RouteParts.headersToRemove(d.headers().request()));
          cw.addAllResponseHeadersToAdd(RouteParts.headersToAdd(d.headers().response()));
          cw.addAllResponseHeadersToRemove(RouteParts.headersToRemove(d.headers().response()));
          String auth = RouteParts.authority(d.headers().request());
          if (auth != null) {
            cw.setHostRewriteLiteral(auth);
          }
        }
        w.addClusters(cw);
      }
      a.setWeightedClusters(w);
    }
    if (firstCluster != null) {
      String[] parts = firstCluster.split("\\|", -1);
      firstPort = Integer.parseInt(parts[1]);
      firstSubset = parts[2];
      MeshService svc = view.mesh.service(parts[3]);
      if (svc != null) {
        Resource drRes = view.destinationRule(svc.hostname(), svc.namespace());
        firstDr = drRes == null ? null : (DestinationRule) drRes.spec();
      }
    }
    if (rule.rewrite() != null) {
      var rw = rule.rewrite();
      if (rw.uri() != null) {
        if (m != null && m.uri() instanceof dev.sluice.config.istio.StringMatch.Regex) {
          a.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
              .setPattern(RegexMatcher.newBuilder().setRegex(".*")).setSubstitution(rw.uri()));
        } else {
          a.setPrefixRewrite(rw.uri());
        }
      } else if (rw.uriRegexRewrite() != null && rw.uriRegexRewrite().match() != null) {
        a.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
            .setPattern(RegexMatcher.newBuilder().setRegex(rw.uriRegexRewrite().match()))
            .setSubstitution(rw.uriRegexRewrite().rewrite() == null ? "" : rw.uriRegexRewrite().rewrite()));
      }
      if (rw.authority() != null && !rw.authority().isEmpty()) {
        a.setHostRewriteLiteral(rw.authority());
      }
    }
    String auth = RouteParts.authority(routeHeaders);
    if (auth != null) {
      a.setHostRewriteLiteral(auth);
    }
    var timeout = Durations.parse(rule.timeout());
    var t = timeout == null ? Durations.ZERO : timeout;
    a.setTimeout(t);
    a.setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder().setMaxStreamDuration(t).setGrpcTimeoutHeaderMax(t));
    TrafficPolicies.Policy policy = TrafficPolicies.effective(firstDr,
        firstDr == null || firstSubset.isEmpty() ? null : EndpointTranslator.subset(firstDr, firstSubset), firstPort);
    boolean hashing = policy.loadBalancer() != null && policy.loadBalancer().consistentHash() != null;
    var retry = RouteParts.retry(rule.retries(), hashing);
    if (retry != null) {
      a.setRetryPolicy(retry);
    }
    if (hashing) {
      a.addHashPolicy(HashPolicies.build(policy.loadBalancer().consistentHash()));
    }
    addMirrors(view, ns, rule, ctx, a);
    return a.build();
  }

  private static void addMirrors(ProxyView view, String ns, HttpRoute rule, Context ctx, RouteAction.Builder a) {
    if (rule.mirror() != null) {
      Integer legacy = rule.mirrorPercent() != null ? rule.mirrorPercent() : rule.mirrorPercentLegacy();
      a.addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder()
          .setCluster(cluster(view, rule.mirror(), ns, ctx.port()))
          .setRuntimeFraction(RuntimeFractionalPercent.newBuilder()
              .setDefaultValue(RouteParts.fraction(rule.mirrorPercentage(), legacy, 100))));
    }
    for (var mp : rule.mirrors()) {
      if (mp.destination() != null) {
        a.addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder()
            .setCluster(cluster(view, mp.destination(), ns, ctx.port()))
            .setRuntimeFraction(RuntimeFractionalPercent.newBuilder()
                .setDefaultValue(RouteParts.fraction(mp.percentage(), null, 100))));
      }
    }
  }

  /**
   * The cluster of a destination: its port, else the service's only port, else the port the route
   * configuration serves.
   */
  static String cluster(ProxyView view, Destination d, String ns, int contextPort) {
    String host = view.fqdn(d.hostOrEmpty(), ns);
    int port = d.portNumber();
    if (port == 0) {
      MeshService s = view.mesh.service(host);
      port = s != null && s.ports().size() == 1 ? s.ports().getFirst().port() : contextPort;
    }
    return Names.outbound(port, d.subsetOrEmpty(), host);
  }
}
