package dev.sluice.proxy.internal;

import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.sluice.proxy.core.xds.ParseResult;
import dev.sluice.proxy.core.xds.XdsParsers;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A state-of-the-world ADS client. Subscribes to all Clusters, then to the
 * ClusterLoadAssignments they reference; once the first CDS response is handled and no cluster
 * is warming (Envoy's cluster manager initialization), to all Listeners, then to the
 * RouteConfigurations they reference. As Envoy's ADS mux pauses EDS while it processes a CDS
 * response (and RDS while it processes LDS), the changed EDS (RDS) subscription goes out as one
 * request, before the ACK of the response that caused it. Each response is parsed and
 * applied through {@link XdsState}; it is ACKed with its version and nonce, or NACKed with the
 * previous version and an {@code error_detail} naming each bad resource and field. When the
 * stream fails it reconnects with jittered exponential backoff, and the last good config keeps
 * serving meanwhile.
 *
 * <p>Every method runs on {@code executor} (a single thread): no locks.
 */
final class AdsClient {
  private static final Logger LOG = Logger.getLogger(AdsClient.class.getName());
  private static final List<String> ORDER =
      List.of(XdsParsers.CLUSTER, XdsParsers.ENDPOINT, XdsParsers.LISTENER, XdsParsers.ROUTE);

  private final ManagedChannel channel;
  private final Node node;
  private final XdsState state;
  private final ScheduledExecutorService executor;
  private final Map<String, Set<String>> subscriptions = new HashMap<>();
  private final Map<String, String> lastNonce = new HashMap<>();
  private @Nullable StreamObserver<DiscoveryRequest> requests;
  private long backoffMillis = 500;
  /** Set by {@link #close()} from any thread; after it nothing is scheduled or logged. */
  private volatile boolean closed;
  private volatile boolean connected;
  final java.util.concurrent.atomic.AtomicLong acks = new java.util.concurrent.atomic.AtomicLong();
  final java.util.concurrent.atomic.AtomicLong nacks = new java.util.concurrent.atomic.AtomicLong();
  volatile @Nullable String lastNackDetail;

  AdsClient(ManagedChannel channel, Node node, XdsState state, ScheduledExecutorService executor) {
    this.channel = channel;
    this.node = node;
    this.state = state;
    this.executor = executor;
    subscriptions.put(XdsParsers.CLUSTER, Set.of());
    state.onWarmed(this::maybeSubscribeListeners);
  }

  boolean connected() {
    return connected;
  }

  void start() {
    post(this::connect);
  }

  /**
   * Stops the stream quietly: later callbacks of the closing channel are dropped instead of
   * reaching an executor that is shutting down.
   */
  void close() {
    closed = true;
    try {
      executor.execute(() -> {
        if (requests != null) {
          try {
            requests.onCompleted();
          } catch (RuntimeException ignored) {
            // stream already gone
          }
          requests = null;
        }
      });
    } catch (RejectedExecutionException ignored) {
      // the xDS executor is already shut down
    }
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code task} on the xDS thread unless the client is closed (or the executor is gone). */
  private void post(Runnable task) {
    if (closed) {
      return;
    }
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    lastNonce.clear();
    var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
    StreamObserver<DiscoveryRequest>[] holder = new StreamObserver[1];
    holder[0] = stub.streamAggregatedResources(new ClientResponseObserver<DiscoveryRequest, DiscoveryResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {}

      @Override
      public void onNext(DiscoveryResponse value) {
        post(() -> {
          if (requests == holder[0] && !closed) {
            handle(value);
          }
        });
      }

      @Override
      public void onError(Throwable t) {
        post(() -> streamClosed(holder[0], t));
      }

      @Override
      public void onCompleted() {
        post(() -> streamClosed(holder[0], null));
      }
    });
    requests = holder[0];
    for (String type : ORDER) {
      if (subscriptions.containsKey(type)) {
        send(type, null, null);
      }
    }
  }

  private void streamClosed(@Nullable StreamObserver<DiscoveryRequest> stream, @Nullable Throwable t) {
    if (requests != stream || closed) {
      return;
    }
    connected = false;
    requests = null;
    long delay = ThreadLocalRandom.current().nextLong(backoffMillis / 2, backoffMillis + 1);
    backoffMillis = Math.min(backoffMillis * 2, 30_000);
    LOG.log(Level.WARNING, "ADS stream closed ({0}); reconnecting in {1} ms; keeping the last good config",
        new Object[] {t == null ? "completed" : t.toString(), delay});
    try {
      executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void handle(DiscoveryResponse r) {
    connected = true;
    backoffMillis = 500;
    String type = r.getTypeUrl();
    if (!subscriptions.containsKey(type)) {
      return;
    }
    lastNonce.put(type, r.getNonce());
    ParseResult<?> result;
    try {
      result = state.apply(type, r.getVersionInfo(), r.getResourcesList());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "failed to apply " + type, e);
      nack(type, r, String.valueOf(e.getMessage()));
      return;
    }
    if (type.equals(XdsParsers.CLUSTER)) {
      updateSubscription(XdsParsers.ENDPOINT, state.edsNames());
    } else if (type.equals(XdsParsers.LISTENER)) {
      updateSubscription(XdsParsers.ROUTE, state.rdsNames());
    }
    if (result.ok()) {
      acks.incrementAndGet();
      send(type, r.getNonce(), null);
    } else {
      nack(type, r, result.errorDetail());
    }
    maybeSubscribeListeners();
  }

  /** Subscribes to all Listeners once the clusters are initialized (Envoy starts LDS then). */
  private void maybeSubscribeListeners() {
    if (closed || subscriptions.containsKey(XdsParsers.LISTENER) || !state.clustersInitialized()) {
      return;
    }
    subscriptions.put(XdsParsers.LISTENER, Set.of());
    send(XdsParsers.LISTENER, null, null);
  }

  private void nack(String type, DiscoveryResponse r, String detail) {
    nacks.incrementAndGet();
    lastNackDetail = detail;
    LOG.warning("NACK " + type + " version " + r.getVersionInfo() + ": " + detail);
    send(type, r.getNonce(), Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(detail).build());
  }

  /**
   * Subscribes to exactly the RouteConfigurations / ClusterLoadAssignments the current listeners
   * and clusters reference. For these types an empty list is not a wildcard (only LDS and CDS
   * have one): it unsubscribes from everything, so it is sent once the type was subscribed.
   */
  private void updateSubscription(String type, Set<String> names) {
    Set<String> old = subscriptions.get(type);
    if (names.equals(old) || old == null && names.isEmpty()) {
      return;
    }
    subscriptions.put(type, java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(names)));
    send(type, lastNonce.get(type), null);
  }

  private void send(String type, @Nullable String nonce, @Nullable Status error) {
    if (requests == null) {
      return;
    }
    DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder()
        .setNode(node)
        .setTypeUrl(type)
        .setVersionInfo(state.typeState(type).version)
        .addAllResourceNames(subscriptions.getOrDefault(type, Set.of()));
    if (nonce != null) {
      b.setResponseNonce(nonce);
    }
    if (error != null) {
      b.setErrorDetail(error);
    }
    requests.onNext(b.build());
  }
}
