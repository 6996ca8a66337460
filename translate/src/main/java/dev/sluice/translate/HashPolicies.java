package dev.sluice.translate;

import dev.sluice.config.istio.DestinationRule.ConsistentHash;
import io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy;

/** A DestinationRule's {@code consistentHash} key as a route hash policy. */
final class HashPolicies {
  private HashPolicies() {}

  static HashPolicy build(ConsistentHash ch) {
    HashPolicy.Builder h = HashPolicy.newBuilder();
    if (ch.httpHeaderName() != null) {
      h.setHeader(HashPolicy.Header.newBuilder().setHeaderName(ch.httpHeaderName()));
    } else if (ch.httpCookie() != null) {
      var c = HashPolicy.Cookie.newBuilder().setName(ch.httpCookie().name() == null ? "" : ch.httpCookie().name());
      if (ch.httpCookie().path() != null) {
        c.setPath(ch.httpCookie().path());
      }
      var ttl = Durations.parse(ch.httpCookie().ttl());
      if (ttl != null) {
        c.setTtl(ttl);
      }
      h.setCookie(c);
    } else if (Boolean.TRUE.equals(ch.useSourceIp())) {
      h.setConnectionProperties(HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true));
    } else if (ch.httpQueryParameterName() != null) {
      h.setQueryParameter(HashPolicy.QueryParameter.newBuilder().setName(ch.httpQueryParameterName()));
    }
    return h.build();
  }
}
