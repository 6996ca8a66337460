package dev.sluice.xds;

import com.google.protobuf.Any;
import dev.sluice.translate.ProxyNode;
import dev.sluice.translate.ViewKey;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** One ADS stream: the proxy, and per type what was subscribed, sent, acknowledged or rejected. Guarded by itself. */
final class Connection {
  /** Per type state. */
  static final class TypeState {
    boolean subscribed;
    Set<String> names = Set.of();
    String sentVersion = "";
    String sentNonce = "";
    String ackedVersion = "";
    String ackedNonce = "";
    @Nullable String nackNonce;
    @Nullable String nackMessage;
    /** The names of the last request, as sent (a repeated ACK usually names the same list). */
    List<String> requested = List.of();
    /** Everything the proxy holds from us for this type: the last full set, with partial updates applied. */
    List<Any> sent = List.of();
    /** The subscription {@link #sent} was computed for. */
    Set<String> sentNames = Set.of();
    /** LDS/CDS: the shared and the inbound lists {@link #sent} was concatenated from. */
    @Nullable List<Any> sentShared;
    @Nullable List<Any> sentInbound;
    @Nullable Instant sentAt;
    @Nullable Instant ackedAt;
    /**
     * A response of this type is due but not built yet: the stream was not ready, or the proxy
     * waits for a push slot. It is built from the newest state when the stream can take it, so a
     * later push replaces it rather than queueing behind it (state of the world: only the latest
     * full set matters), and its nonce and version exist only once it is handed to gRPC.
     */
    boolean pending;
    /** The due response carries every subscribed resource, changed or not (a request's answer, or EDS/RDS after CDS/LDS). */
    boolean pendingWhole;
  }

  final String id;
  final StreamObserver<DiscoveryResponse> out;
  final Instant connectedAt = Instant.now();
  final Map<String, TypeState> types = new HashMap<>();
  @Nullable Node rawNode;
  @Nullable ProxyNode node;
  @Nullable ViewKey viewKey;
  @Nullable EncodedView inboundFor;
  List<Any> inboundListeners = List.of();
  List<Any> inboundClusters = List.of();
  long stateVersion = -1;
  /** The proxy's own registry instance when its inbound resources were built. */
  @org.jspecify.annotations.Nullable Object selfInstance;
  /** The inbound resources changed and LDS/CDS with them are not sent yet. */
  boolean inboundPending;
  boolean closed;
  /**
   * Sending now, further up this thread's stack: gRPC may call back into the server from {@code
   * onNext} (a direct executor delivers the proxy's ACK and the stream's readiness at once); the
   * outer loop sees what they change.
   */
  boolean draining;
  /** The last response handed to gRPC by the current flush, or null (its size decides whether the slot waits for it). */
  @Nullable DiscoveryResponse lastSent;
  /** When the first change of the push being delivered to this proxy happened, or -1 (convergence time). */
  long pushStartNanos = -1;

  Connection(String id, StreamObserver<DiscoveryResponse> out) {
    this.id = id;
    this.out = out;
  }

  TypeState type(String typeUrl) {
    return types.computeIfAbsent(typeUrl, k -> new TypeState());
  }

  /** Marks a response of {@code typeUrl} due; {@code whole} sticks until it is sent. */
  void due(String typeUrl, boolean whole) {
    TypeState t = type(typeUrl);
    t.pending = true;
    t.pendingWhole |= whole;
  }

  /** The first due type in push order (CDS, EDS, LDS, RDS), or null. */
  @Nullable String nextDue() {
    for (String t : TypeUrls.ORDER) {
      TypeState ts = types.get(t);
      if (ts != null && ts.pending) {
        return t;
      }
    }
    return null;
  }

  /** How many responses are due (at most one per type). */
  int dueCount() {
    int n = 0;
    for (TypeState ts : types.values()) {
      n += ts.pending ? 1 : 0;
    }
    return n;
  }

  /** Whether gRPC can take a message without buffering beyond its flow-control threshold. */
  boolean ready() {
    return !(out instanceof io.grpc.stub.ServerCallStreamObserver<DiscoveryResponse> s) || s.isReady();
  }

  /** istiod's sync status of one type: SYNCED, STALE, NOT SENT or ERROR. */
  String status(String typeUrl) {
    TypeState t = types.get(typeUrl);
    if (t == null || t.sentNonce.isEmpty()) {
      return "NOT SENT";
    }
    if (t.sentNonce.equals(t.nackNonce)) {
      return "ERROR";
    }
    return t.sentNonce.equals(t.ackedNonce) ? "SYNCED" : "STALE";
  }
}
