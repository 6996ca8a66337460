package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.listener.Listener;
import dev.sluice.proxy.core.xds.ParseResult;
import dev.sluice.proxy.core.xds.Structs;
import dev.sluice.proxy.core.xds.TelemetryParser;
import dev.sluice.proxy.core.xds.XdsParsers;
import dev.sluice.proxy.internal.telemetry.PeerMetadata;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a bootstrap into a {@link StaticConfig}. Public with a public constructor, and taking and
 * giving no protobuf type, because {@link ConfigReading} may run it in its own class loader.
 */
public final class StaticConfigReader implements Function<String[], StaticConfig> {
  public StaticConfigReader() {}

  /**
   * Reads {@code {source, text, serviceNode or null, serviceCluster or null}}.
   *
   * @throws IllegalArgumentException naming the source, the field and what was expected
   */
  @Override
  public StaticConfig apply(String[] args) {
    String source = args[0];
    byte[] wire = Bootstrap.encode(source, args[1]);
    var b = Bootstrap.decode(source, wire);
    var node = b.getNode();
    String nodeId = node.getId().isEmpty() && args[2] != null ? args[2] : node.getId();
    String nodeCluster = node.getCluster().isEmpty() && args[3] != null ? args[3] : node.getCluster();
    PeerMetadata self = PeerMetadata.fromMap(nodeId, node.hasMetadata() ? Structs.toJava(node.getMetadata()) : Map.of());
    var tracing = b.getTracing();
    var tracer = tracing.hasHttp()
        ? TelemetryParser.provider(tracing.getHttp().getName(), tracing.getHttp().getTypedConfig()) : null;
    // Static resources: an invalid one fails start-up, as in Envoy.
    ParseResult<Cluster> sc = XdsParsers.staticClusters(b.getStaticResources().getClustersList());
    ParseResult<Listener> sl = XdsParsers.staticListeners(b.getStaticResources().getListenersList());
    if (!sc.ok() || !sl.ok()) {
      throw new IllegalArgumentException("invalid static_resources:\n"
          + String.join("\n", sc.errorDetail(), sl.errorDetail()).strip());
    }
    var admin = b.getAdmin().getAddress();
    return new StaticConfig(wire, nodeId, nodeCluster, self,
        admin.hasSocketAddress() ? admin.getSocketAddress().getPortValue() : -1, tracer,
        sc.resources(), sl.resources(), b.getDynamicResources().hasAdsConfig());
  }
}
