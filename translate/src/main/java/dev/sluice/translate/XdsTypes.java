package dev.sluice.translate;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * The message types that appear inside {@code Any} fields of the translator's output, for printing
 * resources as JSON (config dumps, golden files) the way Envoy does.
 */
public final class XdsTypes {
  private XdsTypes() {}

  /** A type registry with every type the translator packs into {@code Any}. */
  public static final JsonFormat.TypeRegistry REGISTRY = JsonFormat.TypeRegistry.newBuilder()
      .add(io.envoyproxy.envoy.config.listener.v3.Listener.getDescriptor())
      .add(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDescriptor())
      .add(io.envoyproxy.envoy.config.cluster.v3.Cluster.getDescriptor())
      .add(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor())
      .add(io.envoyproxy.envoy.config.route.v3.FilterConfig.getDescriptor())
      .add(com.github.xds.type.v3.TypedStruct.getDescriptor())
      .add(io.envoyproxy.envoy.config.trace.v3.ZipkinConfig.getDescriptor())
      .add(io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor())
      .add(io.envoyproxy.envoy.admin.v3.ListenersConfigDump.getDescriptor())
      .add(io.envoyproxy.envoy.admin.v3.ClustersConfigDump.getDescriptor())
      .add(io.envoyproxy.envoy.admin.v3.RoutesConfigDump.getDescriptor())
      .add(io.envoyproxy.envoy.admin.v3.EndpointsConfigDump.getDescriptor())
      .build();

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(REGISTRY)
      .preservingProtoFieldNames().omittingInsignificantWhitespace();

  /** A message as compact JSON with proto field names ({@code route_config_name}). */
  public static String toJson(MessageOrBuilder m) {
    try {
      return PRINTER.print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
