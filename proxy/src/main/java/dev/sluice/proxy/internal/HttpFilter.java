package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.filter.HttpFilterSpec;
import dev.sluice.proxy.core.listener.HttpConnectionManager;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * An L7 filter run by the connection manager before the router (STYLE §6). Filters are created
 * once per connection manager config from its parsed {@link HttpFilterSpec}s (the two phases:
 * parse at config time, create per chain) and hold no per-request state: per-request values live
 * in the {@link Exchange}. Requests pass the filters in order and responses in reverse; the router
 * is always last.
 *
 * <p>A filter either calls {@link Exchange#proceed()} (now, or later from a timer on the same
 * event loop) or answers locally; the exchange enforces that the chain advances once per filter.
 */
interface HttpFilter {

  /** Request headers are in; continue with {@code ex.proceed()} or reply locally. */
  void onRequest(Exchange ex);

  /** Response headers on their way downstream (upstream responses and local replies). */
  default void onResponseHeaders(Exchange ex, HttpHeaders headers) {}

  /** The filters of a connection manager, created from its config. */
  static List<HttpFilter> create(HttpConnectionManager hcm) {
    List<HttpFilter> out = new ArrayList<>(hcm.httpFilters().size());
    for (HttpFilterSpec spec : hcm.httpFilters()) {
      out.add(switch (spec) {
        case HttpFilterSpec.Fault f -> new FaultFilter(f.policy());
        case HttpFilterSpec.Cors c -> CorsFilter.INSTANCE;
      });
    }
    return List.copyOf(out);
  }
}
