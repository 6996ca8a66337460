package dev.sluice.proxy.internal;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The request head and body of one exchange on their way upstream. While a retry or a mirror may
 * still need the body it is kept (as owned references, up to {@link #MAX_BUFFERED}) in the replay
 * buffer; otherwise chunks that arrive before the first upstream stream wait in the pending queue.
 * Every buffer is released exactly once ({@link #release()}). Confined to the downstream event
 * loop.
 */
final class RequestBody {
  static final long MAX_BUFFERED = 1 << 20;

  private final HttpRequest request;
  /** Body kept for retries (owned references); null when not buffering. */
  private @Nullable ArrayDeque<HttpContent> replay;
  private long replayBytes;
  /** Body waiting for the first upstream stream when not buffering. */
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
  private long pendingBytes;
  private boolean ownsRequest = true;

  RequestBody(HttpRequest request) {
    this.request = request;
  }

  /** Starts keeping the body for retries and mirrors (what arrived so far included). */
  void startReplay() {
    ArrayDeque<HttpContent> r = new ArrayDeque<>();
    for (HttpContent pb; (pb = pending.poll()) != null; ) {
      r.add(pb);
    }
    replay = r;
    replayBytes = pendingBytes;
    pendingBytes = 0;
  }

  boolean replaying() {
    return replay != null;
  }

  /** Each kept chunk, retained for the caller (a mirror). */
  void forEachRetained(Consumer<HttpContent> to) {
    if (replay != null) {
      for (HttpContent c : replay) {
        to.accept(c.retainedDuplicate());
      }
    }
  }

  /**
   * A body chunk arrived: written to {@code up} when a stream is open, and kept or queued.
   *
   * @return whether downstream reading should pause (too much queued, or the stream is full)
   */
  boolean add(HttpContent c, @Nullable UpstreamStream up, boolean currentTryWaiting) {
    if (replay != null) {
      replay.add(c);
      replayBytes += c.content().readableBytes();
      if (up != null) {
        up.write(c.retainedDuplicate());
        up.flush();
      }
      if (replayBytes > MAX_BUFFERED) {
        stopBuffering(currentTryWaiting); // too big to retry or mirror further, as Envoy's buffer limit
      }
    } else if (up != null) {
      up.write(c);
      up.flush();
    } else {
      pending.add(c);
      pendingBytes += c.content().readableBytes();
      return pendingBytes > MAX_BUFFERED;
    }
    return up != null && !up.isWritable();
  }

  /**
   * Sends the head and the body so far on a new upstream stream; {@code perAttempt} adjusts the
   * head's headers for this try. With a replay buffer the head is a copy, so a later try can send
   * it again.
   */
  void sendTo(UpstreamStream stream, Consumer<HttpHeaders> perAttempt) {
    if (replay != null) {
      HttpRequest head = copyHead();
      perAttempt.accept(head.headers());
      stream.write(head);
      for (HttpContent c : replay) {
        stream.write(c.retainedDuplicate());
      }
    } else {
      perAttempt.accept(request.headers());
      ownsRequest = false;
      stream.write(request);
      HttpContent c;
      while ((c = pending.poll()) != null) {
        stream.write(c);
      }
      pendingBytes = 0;
    }
  }

  /** The request head for one more upstream try or a mirror (headers copied, body shared and retained). */
  HttpRequest copyHead() {
    if (request instanceof FullHttpRequest full) {
      return full.retainedDuplicate();
    }
    return new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(),
        request.headers().copy());
  }

  /**
   * Stops keeping the body for retries and mirrors (the response started, or it grew too big).
   * When the current try has not started yet, it still needs the body so far: it moves to the
   * pending queue.
   */
  void stopBuffering(boolean currentTryWaiting) {
    ArrayDeque<HttpContent> r = replay;
    if (r == null) {
      return;
    }
    replay = null;
    if (currentTryWaiting) {
      pending.addAll(r);
      pendingBytes = replayBytes;
    } else {
      for (HttpContent c : r) {
        c.release();
      }
    }
    replayBytes = 0;
  }

  /** Releases the chunks queued for the first stream. */
  void releasePending() {
    HttpContent c;
    while ((c = pending.poll()) != null) {
      c.release();
    }
    pendingBytes = 0;
  }

  /** Releases the request and any body still held (never sent, or kept for retries). */
  void release() {
    releasePending();
    if (replay != null) {
      HttpContent c;
      while ((c = replay.poll()) != null) {
        c.release();
      }
      replay = null;
    }
    if (ownsRequest) {
      ownsRequest = false;
      if (request instanceof HttpContent hc && hc.refCnt() > 0) {
        hc.release();
      }
    }
  }
}
