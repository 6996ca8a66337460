package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.listener.Listener;
import dev.sluice.proxy.core.telemetry.TraceProvider;
import dev.sluice.proxy.internal.telemetry.PeerMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the proxy takes from its bootstrap at start, in its own types only: no protobuf type
 * appears here, so that a bootstrap without {@code dynamic_resources} can be read in a class
 * loader that is dropped once the proxy has started ({@link ConfigReading}).
 *
 * @param bootstrap the {@code Bootstrap} message's wire form, for {@code /config_dump} and ADS
 * @param nodeId the node's id, or {@code --service-node} when the bootstrap has none
 * @param nodeCluster the node's cluster, or {@code --service-cluster} when the bootstrap has none
 * @param self the workload identity in the node's metadata
 * @param adminPort the port of {@code admin.address}, or -1 when it has none
 * @param tracer the bootstrap's {@code tracing.http} provider, or null
 * @param dynamic whether the bootstrap has {@code dynamic_resources.ads_config}
 */
public record StaticConfig(
    byte[] bootstrap,
    String nodeId,
    String nodeCluster,
    PeerMetadata self,
    int adminPort,
    @Nullable TraceProvider tracer,
    Map<String, Cluster> clusters,
    Map<String, Listener> listeners,
    boolean dynamic) {

  public StaticConfig {
    // in the bootstrap's order, as the admin pages list them
    clusters = Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
    listeners = Collections.unmodifiableMap(new LinkedHashMap<>(listeners));
  }
}
