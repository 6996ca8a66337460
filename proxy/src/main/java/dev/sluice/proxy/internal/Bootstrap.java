package dev.sluice.proxy.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Reads an Envoy v3 bootstrap (YAML or JSON) into the {@code Bootstrap} proto. Unknown fields
 * and unknown {@code @type}s are errors, as in Envoy.
 *
 * <p>Parsing goes through {@link ProtoYaml} (SnakeYAML's node tree straight into the builders)
 * and {@link #type}, a switch that loads only the {@code @type}s the file uses: Jackson, Gson and
 * {@code JsonFormat} are not loaded at start-up (issue 3's start-up and memory budget).
 */
final class Bootstrap {
  private Bootstrap() {}

  /**
   * The descriptor of a type that may appear in {@code typed_config} of a bootstrap or xDS
   * resource, by full name; null for any other. A switch rather than a registry so that only the
   * classes of the types actually used are loaded; it returns descriptors (not default
   * instances typed {@code Message}) so that verifying this method loads none of the classes.
   */
  static com.google.protobuf.Descriptors.@Nullable Descriptor type(String fullName) {
    return switch (fullName) {
      case "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager" ->
          io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor();
      case "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy" ->
          io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor();
      case "envoy.extensions.filters.http.router.v3.Router" ->
          io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor();
      case "envoy.extensions.filters.http.cors.v3.Cors" ->
          io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor();
      case "envoy.extensions.filters.http.fault.v3.HTTPFault" ->
          io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor();
      case "envoy.extensions.filters.http.cors.v3.CorsPolicy" ->
          io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDescriptor();
      case "envoy.config.route.v3.FilterConfig" ->
          io.envoyproxy.envoy.config.route.v3.FilterConfig.getDescriptor();
      case "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate" ->
          io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate.getDescriptor();
      case "envoy.extensions.filters.http.grpc_stats.v3.FilterConfig" ->
          io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig.getDescriptor();
      case "envoy.extensions.access_loggers.file.v3.FileAccessLog" ->
          io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor();
      case "envoy.extensions.access_loggers.stream.v3.StdoutAccessLog" ->
          io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDescriptor();
      case "envoy.extensions.access_loggers.stream.v3.StderrAccessLog" ->
          io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog.getDescriptor();
      case "envoy.extensions.upstreams.http.v3.HttpProtocolOptions" ->
          io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor();
      case "envoy.config.listener.v3.Listener" -> io.envoyproxy.envoy.config.listener.v3.Listener.getDescriptor();
      case "udpa.type.v1.TypedStruct" -> com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor();
      case "xds.type.v3.TypedStruct" -> com.github.xds.type.v3.TypedStruct.getDescriptor();
      case "google.protobuf.Struct" -> com.google.protobuf.Struct.getDescriptor();
      case "google.protobuf.Value" -> com.google.protobuf.Value.getDescriptor();
      case "google.protobuf.Duration" -> com.google.protobuf.Duration.getDescriptor();
      case "google.protobuf.StringValue" -> com.google.protobuf.StringValue.getDescriptor();
      case "google.protobuf.BoolValue" -> com.google.protobuf.BoolValue.getDescriptor();
      case "google.protobuf.UInt32Value" -> com.google.protobuf.UInt32Value.getDescriptor();
      case "envoy.config.trace.v3.ZipkinConfig" -> io.envoyproxy.envoy.config.trace.v3.ZipkinConfig.getDescriptor();
      case "envoy.config.trace.v3.OpenTelemetryConfig" ->
          io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDescriptor();
      case "envoy.config.route.v3.RouteConfiguration" ->
          io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDescriptor();
      case "envoy.config.cluster.v3.Cluster" -> io.envoyproxy.envoy.config.cluster.v3.Cluster.getDescriptor();
      case "envoy.config.endpoint.v3.ClusterLoadAssignment" ->
          io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.getDescriptor();
      default -> null;
    };
  }

  /** The {@code JsonFormat} registry for {@code /config_dump}, built on its first use. */
  static final class DumpTypes {
    private DumpTypes() {}

    static final com.google.protobuf.util.JsonFormat.TypeRegistry REGISTRY =
        com.google.protobuf.util.JsonFormat.TypeRegistry.newBuilder()
            .add(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDescriptor())
            .add(io.envoyproxy.envoy.config.route.v3.FilterConfig.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor())
            .add(io.envoyproxy.envoy.config.listener.v3.Listener.getDescriptor())
            .add(com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor())
            .add(com.github.xds.type.v3.TypedStruct.getDescriptor())
            .add(com.google.protobuf.Struct.getDescriptor())
            .add(io.envoyproxy.envoy.config.trace.v3.ZipkinConfig.getDescriptor())
            .add(io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDescriptor())
            .add(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDescriptor())
            .add(io.envoyproxy.envoy.config.cluster.v3.Cluster.getDescriptor())
            .add(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.getDescriptor())
            .add(io.envoyproxy.envoy.admin.v3.ListenersConfigDump.getDescriptor())
            .add(io.envoyproxy.envoy.admin.v3.ClustersConfigDump.getDescriptor())
            .add(io.envoyproxy.envoy.admin.v3.RoutesConfigDump.getDescriptor())
            .add(io.envoyproxy.envoy.admin.v3.EndpointsConfigDump.getDescriptor())
            .add(io.envoyproxy.envoy.admin.v3.BootstrapConfigDump.getDescriptor())
            .build();
  }

  /**
   * Loads {@code file}.
   *
   * @throws IllegalArgumentException with the file name and the parse error
   */
  static io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return parse(file.toString(), text);
  }

  static io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap parse(String source, String text) {
    var b = io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.newBuilder();
    try {
      new ProtoYaml(Bootstrap::type).merge(text, b);
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new IllegalArgumentException(source + ": not valid YAML/JSON (" + e.getMessage() + ")", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": not a valid Envoy v3 bootstrap (" + e.getMessage() + ")", e);
    }
    return b.build();
  }
}
