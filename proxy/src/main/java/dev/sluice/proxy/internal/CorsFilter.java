package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.filter.CorsPolicy;
import dev.sluice.proxy.core.route.RouteSelection;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Envoy's CORS filter. Policies come from the route and its virtual host (route first, field by
 * field). A preflight ({@code OPTIONS} with {@code Origin} and {@code
 * Access-Control-Request-Method}) from an allowed origin is answered by the proxy with 200 and the
 * {@code Access-Control-Allow-*} headers; from another origin it is forwarded (the default {@code
 * forward_not_matching_preflights}) or answered without them. Other requests from an allowed origin
 * get {@code Access-Control-Allow-Origin} (the origin itself), credentials and expose headers on
 * the response.
 */
final class CorsFilter implements HttpFilter {
  static final CorsFilter INSTANCE = new CorsFilter();

  private CorsFilter() {}

  @Override
  public void onRequest(Exchange ex) {
    RouteSelection sel = ex.selection();
    if (sel == null) {
      ex.proceed();
      return;
    }
    CorsPolicy.Resolved p = CorsPolicy.resolve(sel.route().filters().cors(), sel.virtualHost().filters().cors());
    if (p == null) {
      ex.proceed();
      return;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    boolean enabled = p.filterEnabled().sample(r);
    boolean shadow = p.shadowEnabled() != null && p.shadowEnabled().sample(r);
    String origin = ex.request().headers().get("origin");
    if ((!enabled && !shadow) || origin == null || origin.isEmpty()) {
      ex.proceed();
      return;
    }
    boolean allowed = p.isOriginAllowed(origin);
    if (allowed) {
      ex.httpStats().corsOriginValid.increment();
    } else {
      ex.httpStats().corsOriginInvalid.increment();
    }
    if (!enabled) {
      ex.proceed();
      return;
    }
    if (allowed) {
      ex.corsOrigin = origin;
      ex.corsPolicy = p;
    }
    HttpHeaders req = ex.request().headers();
    String requestMethod = req.get("access-control-request-method");
    if (!ex.request().method().name().equals("OPTIONS") || requestMethod == null || requestMethod.isEmpty()
        || (!allowed && p.forwardNotMatchingPreflights())) {
      ex.proceed();
      return;
    }
    ex.corsOrigin = null; // the preflight reply carries its own headers
    ex.filterLocalReply(200, "", "-", "cors_response", h -> {
      if (allowed) {
        h.set("access-control-allow-origin", origin);
      }
      if (p.allowCredentials()) {
        h.set("access-control-allow-credentials", "true");
      }
      if (!p.allowMethods().isEmpty()) {
        h.set("access-control-allow-methods", p.allowMethods().equals("*") ? requestMethod : p.allowMethods());
      }
      if (!p.allowHeaders().isEmpty()) {
        String asked = req.get("access-control-request-headers", "");
        h.set("access-control-allow-headers", p.allowHeaders().equals("*") ? asked : p.allowHeaders());
      }
      if (!p.maxAge().isEmpty()) {
        h.set("access-control-max-age", p.maxAge());
      }
      if (p.allowPrivateNetworkAccess() && "true".equals(req.get("access-control-request-private-network"))) {
        h.set("access-control-allow-private-network", "true");
      }
    });
  }

  @Override
  public void onResponseHeaders(Exchange ex, HttpHeaders headers) {
    CorsPolicy.Resolved p = ex.corsPolicy;
    String origin = ex.corsOrigin;
    if (p == null || origin == null) {
      return;
    }
    headers.set("access-control-allow-origin", origin);
    if (p.allowCredentials()) {
      headers.set("access-control-allow-credentials", "true");
    }
    if (!p.exposeHeaders().isEmpty()) {
      headers.set("access-control-expose-headers", p.exposeHeaders());
    }
  }
}
