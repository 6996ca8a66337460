package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.filter.FaultPolicy;
import dev.sluice.proxy.core.route.ClusterSpecifier;
import dev.sluice.proxy.core.route.RouteAction;
import dev.sluice.proxy.core.route.RouteSelection;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Envoy's fault filter: for requests matching the policy (the route's {@code
 * typed_per_filter_config}, else the virtual host's, else the connection manager's), a fixed delay
 * for a fraction of them (flag DI), then an abort for a fraction (flag FI, body {@code fault
 * filter abort}; a gRPC status is sent as a 200 with {@code grpc-status}). Faults happen before the
 * router, so route timeouts and retries do not apply to them.
 */
final class FaultFilter implements HttpFilter {
  static final String ABORT_BODY = "fault filter abort";
  private final FaultPolicy listenerPolicy;

  FaultFilter(FaultPolicy listenerPolicy) {
    this.listenerPolicy = listenerPolicy;
  }

  private FaultPolicy policy(@Nullable RouteSelection sel) {
    if (sel != null) {
      if (sel.route().filters().fault() != null) {
        return sel.route().filters().fault();
      }
      if (sel.virtualHost().filters().fault() != null) {
        return sel.virtualHost().filters().fault();
      }
    }
    return listenerPolicy;
  }

  @Override
  public void onRequest(Exchange ex) {
    FaultPolicy p = policy(ex.selection());
    if ((p.delay() == null && p.abort() == null) || !p.matches(ex.view(), routeClusterName(ex.selection()))) {
      ex.proceed();
      return;
    }
    Stats.HttpStats hs = ex.httpStats();
    if (p.maxActiveFaults() != null && hs.activeFaults.get() >= p.maxActiveFaults()) {
      hs.faultsOverflow.increment();
      ex.proceed();
      return;
    }
    FaultPolicy.Delay d = p.delay();
    if (d != null && d.percentage().sample(ThreadLocalRandom.current())) {
      hs.delaysInjected.increment();
      ex.faultStarted();
      ex.addFlag("DI");
      ex.schedule(() -> {
        if (!ex.isFinished()) {
          maybeAbort(ex, p);
        }
      }, d.fixedDelay().toNanos(), TimeUnit.NANOSECONDS);
      return;
    }
    maybeAbort(ex, p);
  }

  private static void maybeAbort(Exchange ex, FaultPolicy p) {
    FaultPolicy.Abort a = p.abort();
    if (a == null || !a.percentage().sample(ThreadLocalRandom.current())) {
      ex.proceed();
      return;
    }
    ex.httpStats().abortsInjected.increment();
    ex.faultStarted();
    if (a.grpcStatus() != null) {
      // A gRPC abort: 200, content-type application/grpc, trailers-only status.
      int grpc = a.grpcStatus();
      ex.filterLocalReply(200, "", "FI", "fault_filter_abort", h -> {
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
        h.set("grpc-status", Integer.toString(grpc));
        h.set("grpc-message", ABORT_BODY);
      });
    } else {
      ex.filterLocalReply(a.httpStatus(), ABORT_BODY, "FI", "fault_filter_abort", null);
    }
  }

  /** The single cluster the route points at, for the fault's {@code upstream_cluster}. */
  private static @Nullable String routeClusterName(@Nullable RouteSelection sel) {
    if (sel != null && sel.route().action() instanceof RouteAction.Forward f
        && f.cluster() instanceof ClusterSpecifier.Single s) {
      return s.name();
    }
    return null;
  }
}
