package dev.sluice.proxy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an Envoy v3 bootstrap (YAML or JSON) into the {@code Bootstrap} proto. Unknown fields
 * and unknown {@code @type}s are errors, as in Envoy.
 */
final class Bootstrap {
  private Bootstrap() {}

  /** Types that may appear in {@code typed_config} of a bootstrap or xDS resource. */
  static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
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
    String json;
    try {
      String trimmed = text.stripLeading();
      if (trimmed.startsWith("{")) {
        json = text;
      } else {
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(text);
        json = tree == null ? "{}" : new ObjectMapper().writeValueAsString(tree);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML/JSON (" + e.getMessage() + ")", e);
    }
    var b = io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.newBuilder();
    try {
      JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(source + ": not a valid Envoy v3 bootstrap (" + e.getMessage() + ")", e);
    }
    return b.build();
  }
}
