package dev.sluice.proxy.internal;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A mirrored copy of a request (Envoy's shadow): sent to the mirror cluster on the same event
 * loop, its response read and discarded, never waited for by the original exchange. Its body
 * copies are bounded (1 MiB); past that the shadow is abandoned.
 */
final class ShadowRequest implements UpstreamCallbacks {
  private static final long MAX_BUFFERED = 1 << 20;
  private final ClusterRuntime cluster;
  private final HostRuntime host;
  private final Worker worker;
  private @Nullable HttpRequest head;
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
  private long pendingBytes;
  private @Nullable UpstreamStream stream;
  private @Nullable ScheduledFuture<?> timer;
  private boolean done;
  private boolean requestSent;
  private boolean counted;

  ShadowRequest(ClusterRuntime cluster, HostRuntime host, Worker worker, HttpRequest head) {
    this.cluster = cluster;
    this.host = host;
    this.worker = worker;
    this.head = head;
    this.requestSent = head instanceof LastHttpContent;
  }

  void start(long timeoutMillis) {
    cluster.stats.rqTotal.increment();
    host.rqTotal.increment();
    host.activeRequests.incrementAndGet();
    counted = true;
    if (timeoutMillis > 0) {
      timer = worker.loop.schedule(() -> {
        cluster.stats.rqTimeout.increment();
        end(false);
      }, timeoutMillis, TimeUnit.MILLISECONDS);
    }
    if (!worker.acquire(cluster, host, this)) {
      end(false);
    }
  }

  /** A body chunk of the original request (a retained copy, owned by this shadow). */
  void addBody(HttpContent c) {
    if (done) {
      c.release();
      return;
    }
    if (c instanceof LastHttpContent) {
      requestSent = true;
    }
    if (stream != null) {
      stream.write(c);
      stream.flush();
      return;
    }
    pendingBytes += c.content().readableBytes();
    pending.add(c);
    if (pendingBytes > MAX_BUFFERED) {
      end(false);
    }
  }

  @Override
  public void onUpstreamReady(UpstreamStream s) {
    if (done) {
      s.release(false);
      return;
    }
    stream = s;
    HttpRequest h = head;
    head = null;
    if (h != null) {
      s.write(h);
    }
    HttpContent c;
    while ((c = pending.poll()) != null) {
      s.write(c);
    }
    s.flush();
  }

  @Override
  public void onUpstreamConnectFailed(boolean timeout, String reason) {
    end(false);
  }

  @Override
  public void onUpstreamResponse(HttpResponse response) {
    if (!done && response.decoderResult().isSuccess()) {
      cluster.stats.response(response.status().code());
    }
    if (!(response instanceof HttpContent)) {
      ReferenceCountUtil.release(response);
    }
  }

  @Override
  public void onUpstreamContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    content.release();
    if (last && !done) {
      end(requestSent);
    }
  }

  @Override
  public void onUpstreamClosed() {
    end(false);
  }

  @Override
  public void onUpstreamWritabilityChanged(boolean writable) {}

  private void end(boolean reusable) {
    if (done) {
      return;
    }
    done = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (counted) {
      host.activeRequests.decrementAndGet();
    }
    UpstreamStream s = stream;
    stream = null;
    if (s != null) {
      s.release(reusable);
    } else {
      worker.cancel(host, this);
    }
    if (head != null) {
      ReferenceCountUtil.release(head);
      head = null;
    }
    HttpContent c;
    while ((c = pending.poll()) != null) {
      c.release();
    }
  }
}
