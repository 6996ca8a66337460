package dev.sluice.proxy.internal;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * One try of an exchange against one host (Envoy's {@code UpstreamRequest}). Events of a try that
 * was abandoned (retried, timed out) are ignored and their buffers released, so a late response
 * can never reach the client.
 */
final class UpstreamAttempt implements UpstreamCallbacks {
  final Exchange exchange;
  final ClusterRuntime cluster;
  final HostRuntime host;
  @Nullable UpstreamStream stream;
  @Nullable ScheduledFuture<?> perTryTimer;
  boolean done;
  /** Counted in the cluster's active requests (the max_requests resource). */
  boolean active;
  boolean requestStarted;

  UpstreamAttempt(Exchange exchange, ClusterRuntime cluster, HostRuntime host) {
    this.exchange = exchange;
    this.cluster = cluster;
    this.host = host;
  }

  @Override
  public void onUpstreamReady(UpstreamStream s) {
    if (done) {
      s.release(false);
      return;
    }
    stream = s;
    exchange.onAttemptReady(this);
  }

  @Override
  public void onUpstreamConnectFailed(boolean timeout, String reason) {
    if (!done) {
      exchange.onAttemptConnectFailed(this, timeout, reason);
    }
  }

  @Override
  public void onUpstreamResponse(HttpResponse response) {
    if (!done) {
      exchange.onAttemptResponse(this, response);
    }
  }

  @Override
  public void onUpstreamContent(HttpContent content) {
    if (done) {
      content.release();
      return;
    }
    exchange.onAttemptContent(this, content);
  }

  @Override
  public void onUpstreamClosed() {
    if (!done) {
      exchange.onAttemptClosed(this);
    }
  }

  @Override
  public void onUpstreamWritabilityChanged(boolean writable) {
    if (!done) {
      exchange.onAttemptWritabilityChanged(writable);
    }
  }
}
