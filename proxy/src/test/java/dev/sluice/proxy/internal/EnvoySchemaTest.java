package dev.sluice.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code envoy-schema.txt} is what the Envoy API's protobuf descriptors say. When the
 * {@code io.envoyproxy.controlplane:api} version changes this test fails; regenerate the file with
 * {@code ./mvnw -pl proxy -am test -Dtest=EnvoySchemaTest -Dsluice.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false}
 * and review the diff.
 */
class EnvoySchemaTest {
  /** The types a {@code typed_config} or bootstrap may name with {@code @type}; the bootstrap is the root. */
  static final List<Message> TYPED = List.of(
      io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig.getDefaultInstance(),
      io.envoyproxy.envoy.config.route.v3.FilterConfig.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDefaultInstance(),
      io.envoyproxy.envoy.config.trace.v3.ZipkinConfig.getDefaultInstance(),
      io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDefaultInstance(),
      io.envoyproxy.envoy.config.listener.v3.Listener.getDefaultInstance(),
      io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDefaultInstance(),
      io.envoyproxy.envoy.config.cluster.v3.Cluster.getDefaultInstance(),
      io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.getDefaultInstance(),
      com.github.udpa.udpa.type.v1.TypedStruct.getDefaultInstance(),
      com.github.xds.type.v3.TypedStruct.getDefaultInstance(),
      com.google.protobuf.Struct.getDefaultInstance(),
      com.google.protobuf.Value.getDefaultInstance(),
      com.google.protobuf.Duration.getDefaultInstance(),
      com.google.protobuf.StringValue.getDefaultInstance(),
      com.google.protobuf.BoolValue.getDefaultInstance(),
      com.google.protobuf.UInt32Value.getDefaultInstance());

  static final Path FILE = Path.of("src/main/resources", EnvoySchema.RESOURCE.substring(1));

  @Test
  void committedSchemaIsWhatTheDescriptorsSay() throws IOException {
    String generated = generate(io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.getDescriptor(), TYPED);
    if (Boolean.getBoolean("sluice.regenerate")) {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, generated);
    }
    String committed;
    try (InputStream in = EnvoySchema.class.getResourceAsStream(EnvoySchema.RESOURCE)) {
      assertThat(in).as("resource " + EnvoySchema.RESOURCE).isNotNull();
      committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(committed).as("envoy-schema.txt is stale: regenerate it (see this class's doc)").isEqualTo(generated);
  }

  /** The schema text: every message and enum reachable from {@code root} and the typed messages. */
  static String generate(Descriptor root, List<Message> typed) {
    Map<String, Descriptor> messages = new TreeMap<>();
    Map<String, EnumDescriptor> enums = new TreeMap<>();
    ArrayDeque<Descriptor> todo = new ArrayDeque<>();
    todo.add(root);
    typed.forEach(m -> todo.add(m.getDescriptorForType()));
    while (!todo.isEmpty()) {
      Descriptor d = todo.poll();
      if (EnvoySchema.isWellKnown(d.getFullName()) || messages.putIfAbsent(d.getFullName(), d) != null) {
        continue;
      }
      for (FieldDescriptor f : d.getFields()) {
        FieldDescriptor v = f.isMapField() ? f.getMessageType().findFieldByNumber(2) : f;
        if (v.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          todo.add(v.getMessageType());
        } else if (v.getJavaType() == FieldDescriptor.JavaType.ENUM) {
          enums.putIfAbsent(v.getEnumType().getFullName(), v.getEnumType());
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# The Envoy API messages a bootstrap can hold: field names, numbers and types, so that the proxy\n")
        .append("# reads its bootstrap without building protobuf descriptors. Generated by EnvoySchemaTest from\n")
        .append("# io.envoyproxy.controlplane:api; do not edit.\n");
    sb.append("R ").append(root.getFullName()).append('\n');
    for (Message m : typed) {
      sb.append("T ").append(m.getDescriptorForType().getFullName()).append(' ').append(m.getClass().getName()).append('\n');
    }
    for (EnumDescriptor e : enums.values()) {
      sb.append("E ").append(e.getFullName());
      e.getValues().forEach(v -> sb.append(' ').append(v.getName()).append('=').append(v.getNumber()));
      sb.append('\n');
    }
    for (Descriptor d : messages.values()) {
      sb.append("M ").append(d.getFullName()).append('\n');
      for (FieldDescriptor f : d.getFields()) {
        sb.append("  ").append(f.getName()).append(' ').append(f.getJsonName()).append(' ').append(f.getNumber()).append(' ');
        if (f.isMapField()) {
          FieldDescriptor k = f.getMessageType().findFieldByNumber(1);
          sb.append("map ").append(type(k)).append(' ').append(type(f.getMessageType().findFieldByNumber(2)));
        } else {
          sb.append(f.isPacked() ? "packed" : f.isRepeated() ? "repeated" : f.hasPresence() ? "optional" : "implicit")
              .append(' ').append(type(f));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private static String type(FieldDescriptor f) {
    return switch (f.getJavaType()) {
      case MESSAGE -> f.getMessageType().getFullName();
      case ENUM -> f.getEnumType().getFullName();
      default -> f.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
