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

  Connection(String id, StreamObserver<DiscoveryResponse> out) {
    this.id = id;
    this.out = out;
  }

  TypeState type(String typeUrl) {
    return types.computeIfAbsent(typeUrl, k -> new TypeState());
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
