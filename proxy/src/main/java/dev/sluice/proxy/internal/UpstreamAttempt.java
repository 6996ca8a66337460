package dev.sluice.proxy.internal;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * One try of a {@link Router} against one host (Envoy's {@code UpstreamRequest}). Events of a try that
 * was abandoned (retried, timed out) are ignored and their buffers released, so a late response
 * can never reach the client.
 */
final class UpstreamAttempt implements UpstreamCallbacks {
  final Router router;
  final ClusterRuntime cluster;
  final HostRuntime host;
  @Nullable UpstreamStream stream;
  @Nullable ScheduledFuture<?> perTryTimer;
  boolean done;
  /** Counted in the cluster's active requests (the max_requests resource). */
  boolean active;
  boolean requestStarted;

  UpstreamAttempt(Router router, ClusterRuntime cluster, HostRuntime host) {
    this.router = router;
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
    router.onAttemptReady(this);
  }

  @Override
  public void onUpstreamConnectFailed(boolean timeout, String reason) {
    if (!done) {
      router.onAttemptConnectFailed(this, timeout, reason);
    }
  }

  @Override
  public void onUpstreamResponse(HttpResponse response) {
    if (!done) {
      router.onAttemptResponse(this, response);
    }
  }

  @Override
  public void onUpstreamContent(HttpContent content) {
    if (done) {
      content.release();
      return;
    }
    router.onAttemptContent(this, content);
  }

  @Override
  public void onUpstreamClosed() {
    if (!done) {
      router.onAttemptClosed(this);
    }
  }

  @Override
  public void onUpstreamWritabilityChanged(boolean writable) {
    if (!done) {
      router.onAttemptWritabilityChanged(writable);
    }
  }
}
