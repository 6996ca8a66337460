package dev.sluice.bench.controlplane;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A minimal ADS client behaving like sluice-proxy: wildcard CDS and LDS, then EDS for every EDS
 * cluster and RDS for every route the listeners name; every response is ACKed. It records when
 * each type's latest response arrived. Names are extracted once per distinct response content
 * (shared by all clients of a view) so that 2,000 clients measure the server, not themselves.
 */
final class BenchClient {
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

  private static final Map<Any, List<String>> EDS_NAMES = java.util.Collections.synchronizedMap(new IdentityHashMap<>());
  private static final Map<Any, List<String>> RDS_NAMES = java.util.Collections.synchronizedMap(new IdentityHashMap<>());

  /** The encoded size of the first response of each type any client received. */
  static final Map<String, Integer> SIZES = new ConcurrentHashMap<>();

  final Node node;
  final Map<String, Long> receivedNanos = new ConcurrentHashMap<>();
  final Map<String, Long> receivedVersion = new ConcurrentHashMap<>();
  private final StreamObserver<DiscoveryRequest> requests;
  private volatile List<String> edsNames = List.of();
  private volatile List<String> rdsNames = List.of();
  private final Runnable onResponse;

  BenchClient(Channel channel, String id, String namespace, String app, Runnable onResponse) {
    this.onResponse = onResponse;
    node = Node.newBuilder().setId(id).setMetadata(Struct.newBuilder()
        .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
        .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("app", Value.newBuilder().setStringValue(app).build())).build())).build();
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse r) {
        handle(r);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    send(CDS, List.of(), "", "");
    send(LDS, List.of(), "", "");
  }

  // The last request per type: an ACK repeats its node and names, and toBuilder() shares them
  // instead of copying thousands of names per ACK (the request sent is complete all the same).
  private final Map<String, DiscoveryRequest> lastRequest = new ConcurrentHashMap<>();
  private final Map<String, List<String>> lastNames = new ConcurrentHashMap<>();

  private synchronized void send(String type, List<String> names, String version, String nonce) {
    DiscoveryRequest last = lastRequest.get(type);
    DiscoveryRequest.Builder b = last != null && lastNames.get(type) == names ? last.toBuilder()
        : DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).addAllResourceNames(names);
    DiscoveryRequest r = b.setVersionInfo(version).setResponseNonce(nonce).build();
    lastRequest.put(type, r);
    lastNames.put(type, names);
    requests.onNext(r);
  }

  private void handle(DiscoveryResponse r) {
    String type = r.getTypeUrl();
    receivedNanos.put(type, System.nanoTime());
    if (!SIZES.containsKey(type)) {
      SIZES.putIfAbsent(type, r.getSerializedSize());
    }
    receivedVersion.put(type, Long.parseLong(r.getVersionInfo()));
    List<String> names = switch (type) {
      case EDS -> edsNames;
      case RDS -> rdsNames;
      default -> List.of();
    };
    send(type, names, r.getVersionInfo(), r.getNonce());
    if (type.equals(CDS) && r.getResourcesCount() > 0) {
      List<String> eds = names(EDS_NAMES, r.getResources(0), r, BenchClient::edsName);
      if (!eds.equals(edsNames)) {
        edsNames = eds;
        send(EDS, eds, "", "");
      }
    } else if (type.equals(LDS) && r.getResourcesCount() > 0) {
      List<String> rds = names(RDS_NAMES, r.getResources(0), r, BenchClient::rdsName);
      if (!rds.equals(rdsNames)) {
        rdsNames = rds;
        send(RDS, rds, "", "");
      }
    }
    onResponse.run();
  }

  private static List<String> names(Map<Any, List<String>> cache, Any first, DiscoveryResponse r,
      Function<Any, String> name) {
    if (ControlPlaneScale.NETTY) {
      // Decoded from the wire, every client's response is a new object: known by content instead
      // (the hash of every resource's bytes; a bench shortcut, not a proof of equality).
      long key = r.getTypeUrl().hashCode();
      for (Any a : r.getResourcesList()) {
        key = key * 31 + a.getValue().hashCode();
      }
      return BY_CONTENT.computeIfAbsent(key, k -> extract(r, name));
    }
    return cache.computeIfAbsent(first, k -> extract(r, name));
  }

  private static final Map<Long, List<String>> BY_CONTENT = new ConcurrentHashMap<>();

  private static List<String> extract(DiscoveryResponse r, Function<Any, String> name) {
    List<String> out = new ArrayList<>();
    for (Any a : r.getResourcesList()) {
      String n = name.apply(a);
      if (!n.isEmpty()) {
        out.add(n);
      }
    }
    return List.copyOf(out);
  }

  private static String edsName(Any a) {
    try {
      Cluster c = a.unpack(Cluster.class);
      return c.getType() == Cluster.DiscoveryType.EDS ? c.getName() : "";
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }

  private static String rdsName(Any a) {
    try {
      Listener l = a.unpack(Listener.class);
      for (var fc : l.getFilterChainsList()) {
        for (var f : fc.getFiltersList()) {
          if (f.getTypedConfig().is(HttpConnectionManager.class)) {
            HttpConnectionManager h = f.getTypedConfig().unpack(HttpConnectionManager.class);
            if (h.hasRds()) {
              return h.getRds().getRouteConfigName();
            }
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
    return "";
  }

  void close() {
    try {
      requests.onCompleted();
    } catch (RuntimeException ignored) {
      // gone
    }
  }
}
