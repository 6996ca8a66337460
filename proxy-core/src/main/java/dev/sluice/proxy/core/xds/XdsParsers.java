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

  /** Parses Listener resources. */
  public static ParseResult<Listener> listeners(List<Any> resources) {
    return parseAll(resources, LISTENER, io.envoyproxy.envoy.config.listener.v3.Listener.parser(), "Listener",
        io.envoyproxy.envoy.config.listener.v3.Listener::getName, ListenerParser::parse);
  }

  /** Parses RouteConfiguration resources. */
  public static ParseResult<RouteTable> routes(List<Any> resources) {
    return parseAll(resources, ROUTE, io.envoyproxy.envoy.config.route.v3.RouteConfiguration.parser(),
        "RouteConfiguration", io.envoyproxy.envoy.config.route.v3.RouteConfiguration::getName,
        RouteConfigurationParser::parse);
  }

  /** Parses Cluster resources. */
  public static ParseResult<Cluster> clusters(List<Any> resources) {
    return parseAll(resources, CLUSTER, io.envoyproxy.envoy.config.cluster.v3.Cluster.parser(), "Cluster",
        io.envoyproxy.envoy.config.cluster.v3.Cluster::getName, ClusterParser::parse);
  }

  /** Parses ClusterLoadAssignment resources. */
  public static ParseResult<ClusterLoadAssignment> endpoints(List<Any> resources) {
    return parseAll(resources, ENDPOINT, io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.parser(),
        "ClusterLoadAssignment",
        io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment::getClusterName,
        EndpointParser::parse);
  }

  /**
   * The name of one resource of type {@code typeUrl} (a cluster load assignment's cluster name).
   *
   * @throws InvalidProtocolBufferException when it is not a valid resource of that type
   */
  public static String resourceName(String typeUrl, Any resource) throws InvalidProtocolBufferException {
    return switch (typeUrl) {
      case LISTENER -> Protos.unpack(resource, typeUrl, io.envoyproxy.envoy.config.listener.v3.Listener.parser()).getName();
      case ROUTE -> Protos.unpack(resource, typeUrl, io.envoyproxy.envoy.config.route.v3.RouteConfiguration.parser())
          .getName();
      case CLUSTER -> Protos.unpack(resource, typeUrl, io.envoyproxy.envoy.config.cluster.v3.Cluster.parser()).getName();
      case ENDPOINT -> Protos.unpack(resource, typeUrl,
          io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.parser()).getClusterName();
      default -> throw new IllegalArgumentException("not an xDS resource type: " + typeUrl);
    };
  }

  /** Parses already-unpacked messages (bootstrap static resources). */
  public static <P extends Message, T> ParseResult<T> parseMessages(
      List<P> messages, String kind, Function<P, String> name, Function<P, T> parser) {
    Map<String, T> ok = new LinkedHashMap<>();
    List<ResourceError> errors = new ArrayList<>();
    for (P m : messages) {
      add(m, kind, name, parser, ok, errors);
    }
    return new ParseResult<>(ok, errors);
  }

  private static <P extends Message, T> ParseResult<T> parseAll(
      List<Any> resources, String typeUrl, com.google.protobuf.Parser<P> type, String kind, Function<P, String> name,
      Function<P, T> parser) {
    Map<String, T> ok = new LinkedHashMap<>();
    List<ResourceError> errors = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) {
      Any any = resources.get(i);
      P msg;
      try {
        msg = Protos.unpack(any, typeUrl, type);
      } catch (InvalidProtocolBufferException e) {
        errors.add(new ResourceError(kind, "#" + i,
            "resource: " + any.getTypeUrl() + " (expected: a valid " + kind + ")"));
        continue;
      }
      add(msg, kind, name, parser, ok, errors);
    }
    return new ParseResult<>(ok, errors);
  }

  private static <P, T> void add(P msg, String kind, Function<P, String> name,
      Function<P, T> parser, Map<String, T> ok, List<ResourceError> errors) {
    String n = name.apply(msg);
    if (n.isEmpty()) {
      errors.add(new ResourceError(kind, "", "name: \"\" (expected: a resource name)"));
      return;
    }
    if (ok.containsKey(n)) {
      errors.add(new ResourceError(kind, n, "name: duplicate (expected: unique names)"));
      return;
    }
    try {
      ok.put(n, parser.apply(msg));
    } catch (IllegalArgumentException | NullPointerException e) {
      errors.add(new ResourceError(kind, n, String.valueOf(e.getMessage())));
    }
  }
}
