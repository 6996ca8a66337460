package dev.sluice.translate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The translation entry point: a snapshot and a proxy in, that proxy's LDS, RDS, CDS and EDS out.
 * Sidecars get outbound and inbound config, gateways (routers) the listeners and routes of their
 * Gateway servers, proxyless gRPC clients API listeners.
 *
 * <pre>{@code
 * ProxyResources r = XdsTranslator.translate(snapshot, ProxyNode.fromNode(request.getNode()));
 * }</pre>
 */
public final class XdsTranslator {
  private XdsTranslator() {}

  /** All four resource types for {@code node}. */
  public static ProxyResources translate(MeshSnapshot mesh, ProxyNode node) {
    ProxyView view = new ProxyView(mesh, node);
    List<Cluster> clusters = ClusterTranslator.buildClusters(view);
    return new ProxyResources(listeners(view), routes(view), clusters,
        EndpointTranslator.buildEndpoints(view, clusters));
  }

  /**
   * The resources shared by every proxy with the same {@link ViewKey}: all but the inbound ones.
   * {@code translate} = this plus {@link #translateInbound}.
   */
  public static ProxyResources translateShared(MeshSnapshot mesh, ProxyNode node) {
    return translateShared(mesh, node, null);
  }

  /**
   * {@link #translateShared(MeshSnapshot, ProxyNode)} taking outbound clusters and assignments
   * from {@code shared} (built once per snapshot for all views), when given.
   */
  public static ProxyResources translateShared(MeshSnapshot mesh, ProxyNode node, @Nullable SharedTranslations shared) {
    ProxyView view = new ProxyView(mesh, node, shared);
    List<Cluster> clusters = ClusterTranslator.buildShared(view);
    return new ProxyResources(ListenerTranslator.sortedOrGateway(view), routes(view), clusters,
        EndpointTranslator.buildEndpoints(view, clusters));
  }

  /** The proxy's own inbound clusters and {@code virtualInbound} listener (no routes or EDS). */
  public static ProxyResources translateInbound(MeshSnapshot mesh, ProxyNode node) {
    ProxyView view = new ProxyView(mesh, node);
    return new ProxyResources(ListenerTranslator.buildInbound(view), List.of(), ClusterTranslator.buildInbound(view),
        List.of());
  }

  /** LDS only. */
  public static List<Listener> buildListeners(MeshSnapshot mesh, ProxyNode node) {
    return listeners(new ProxyView(mesh, node));
  }

  /** RDS only. */
  public static List<RouteConfiguration> buildRoutes(MeshSnapshot mesh, ProxyNode node) {
    return routes(new ProxyView(mesh, node));
  }

  /** CDS only. */
  public static List<Cluster> buildClusters(MeshSnapshot mesh, ProxyNode node) {
    return ClusterTranslator.buildClusters(new ProxyView(mesh, node));
  }

  /** EDS for the given cluster names (endpoint-only pushes). */
  public static List<ClusterLoadAssignment> buildEndpoints(MeshSnapshot mesh, ProxyNode node, List<String> clusterNames) {
    return buildEndpoints(mesh, node, clusterNames, null);
  }

  /** EDS for the given cluster names, taking assignments from {@code shared} when given. */
  public static List<ClusterLoadAssignment> buildEndpoints(MeshSnapshot mesh, ProxyNode node, List<String> clusterNames,
      @Nullable SharedTranslations shared) {
    ProxyView view = new ProxyView(mesh, node, shared);
    return clusterNames.stream().sorted().map(n -> EndpointTranslator.buildAssignment(view, n, shared)).toList();
  }

  private static List<Listener> listeners(ProxyView view) {
    return view.node.type() == ProxyNode.Type.ROUTER
        ? GatewayTranslator.buildListeners(view) : ListenerTranslator.buildListeners(view);
  }

  private static List<RouteConfiguration> routes(ProxyView view) {
    return view.node.type() == ProxyNode.Type.ROUTER
        ? GatewayTranslator.buildRoutes(view) : RouteTranslator.buildRoutes(view);
  }
}
