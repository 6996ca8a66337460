package dev.sluice.proxy.core.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.cluster.ClusterLoadAssignment;
import dev.sluice.proxy.core.listener.Listener;
import dev.sluice.proxy.core.route.RouteTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses the resources of one xDS response (or of a bootstrap's static resources) into records,
 * one result or one error per resource.
 *
 * <pre>{@code
 * ParseResult<RouteTable> r = XdsParsers.routes(response.getResourcesList());
 * if (!r.ok()) nack(r.errorDetail());
 * }</pre>
 */
public final class XdsParsers {
  /** Type URLs of the four resource types. */
  public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String ENDPOINT =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  private XdsParsers() {}

  /** One resource type: its URL, its message's parser and name, and the record parser. */
  private record Kind<P extends Message, T>(String typeUrl, String kind, com.google.protobuf.Parser<P> wire,
      Function<P, String> name, Function<P, T> parser) {}

  private static final Kind<io.envoyproxy.envoy.config.listener.v3.Listener, Listener> LISTENERS = new Kind<>(
      LISTENER, "Listener", io.envoyproxy.envoy.config.listener.v3.Listener.parser(),
      io.envoyproxy.envoy.config.listener.v3.Listener::getName, ListenerParser::parse);
  private static final Kind<io.envoyproxy.envoy.config.route.v3.RouteConfiguration, RouteTable> ROUTES = new Kind<>(
      ROUTE, "RouteConfiguration", io.envoyproxy.envoy.config.route.v3.RouteConfiguration.parser(),
      io.envoyproxy.envoy.config.route.v3.RouteConfiguration::getName, RouteConfigurationParser::parse);
  private static final Kind<io.envoyproxy.envoy.config.cluster.v3.Cluster, Cluster> CLUSTERS = new Kind<>(
      CLUSTER, "Cluster", io.envoyproxy.envoy.config.cluster.v3.Cluster.parser(),
      io.envoyproxy.envoy.config.cluster.v3.Cluster::getName, ClusterParser::parse);
  private static final Kind<io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment, ClusterLoadAssignment>
      ENDPOINTS = new Kind<>(ENDPOINT, "ClusterLoadAssignment",
          io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.parser(),
          io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment::getClusterName, EndpointParser::parse);

  /** Parses Listener resources. */
  public static ParseResult<Listener> listeners(List<Any> resources) {
    return parseAll(resources, LISTENERS);
  }

  /** Parses RouteConfiguration resources. */
  public static ParseResult<RouteTable> routes(List<Any> resources) {
    return parseAll(resources, ROUTES);
  }

  /** Parses Cluster resources. */
  public static ParseResult<Cluster> clusters(List<Any> resources) {
    return parseAll(resources, CLUSTERS);
  }

  /** Parses ClusterLoadAssignment resources. */
  public static ParseResult<ClusterLoadAssignment> endpoints(List<Any> resources) {
    return parseAll(resources, ENDPOINTS);
  }

  /**
   * The name of one resource of type {@code typeUrl} (a cluster load assignment's cluster name).
   *
   * @throws InvalidProtocolBufferException when it is not a valid resource of that type
   */
  public static String resourceName(String typeUrl, Any resource) throws InvalidProtocolBufferException {
    return switch (typeUrl) {
      case LISTENER -> nameOf(LISTENERS, resource);
      case ROUTE -> nameOf(ROUTES, resource);
      case CLUSTER -> nameOf(CLUSTERS, resource);
      case ENDPOINT -> nameOf(ENDPOINTS, resource);
      default -> throw new IllegalArgumentException("not an xDS resource type: " + typeUrl);
    };
  }

  private static <P extends Message> String nameOf(Kind<P, ?> k, Any resource) throws InvalidProtocolBufferException {
    return k.name().apply(Protos.unpack(resource, k.typeUrl(), k.wire()));
  }

  /** Parses a bootstrap's static clusters. */
  public static ParseResult<Cluster> staticClusters(List<io.envoyproxy.envoy.config.cluster.v3.Cluster> clusters) {
    return parseMessages(clusters, CLUSTERS);
  }

  /** Parses a bootstrap's static listeners. */
  public static ParseResult<Listener> staticListeners(List<io.envoyproxy.envoy.config.listener.v3.Listener> listeners) {
    return parseMessages(listeners, LISTENERS);
  }

  private static <P extends Message, T> ParseResult<T> parseMessages(List<P> messages, Kind<P, T> k) {
    Map<String, T> ok = new LinkedHashMap<>();
    List<ResourceError> errors = new ArrayList<>();
    for (P m : messages) {
      add(m, k, ok, errors);
    }
    return new ParseResult<>(ok, errors);
  }

  private static <P extends Message, T> ParseResult<T> parseAll(List<Any> resources, Kind<P, T> k) {
    Map<String, T> ok = new LinkedHashMap<>();
    List<ResourceError> errors = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) {
      Any any = resources.get(i);
      P msg;
      try {
        msg = Protos.unpack(any, k.typeUrl(), k.wire());
      } catch (InvalidProtocolBufferException e) {
        errors.add(new ResourceError(k.kind(), "#" + i,
            "resource: " + any.getTypeUrl() + " (expected: a valid " + k.kind() + ")"));
        continue;
      }
      add(msg, k, ok, errors);
    }
    return new ParseResult<>(ok, errors);
  }

  private static <P extends Message, T> void add(P msg, Kind<P, T> k, Map<String, T> ok, List<ResourceError> errors) {
    String n = k.name().apply(msg);
    if (n.isEmpty()) {
      errors.add(new ResourceError(k.kind(), "", "name: \"\" (expected: a resource name)"));
      return;
    }
    if (ok.containsKey(n)) {
      errors.add(new ResourceError(k.kind(), n, "name: duplicate (expected: unique names)"));
      return;
    }
    try {
      ok.put(n, k.parser().apply(msg));
    } catch (IllegalArgumentException | NullPointerException e) {
      errors.add(new ResourceError(k.kind(), n, String.valueOf(e.getMessage())));
    }
  }
}
