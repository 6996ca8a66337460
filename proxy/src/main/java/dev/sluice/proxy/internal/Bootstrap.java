package dev.sluice.proxy.internal;


/**
 * Reads an Envoy v3 bootstrap (YAML or JSON) into the {@code Bootstrap} proto. Unknown fields
 * and unknown {@code @type}s are errors, as in Envoy.
 *
 * <p>Parsing goes through {@link ProtoYaml} (SnakeYAML's node tree to the wire form by the field
 * table of {@link EnvoySchema}) and the generated parser: Jackson, Gson, {@code JsonFormat} and the
 * Envoy API's protobuf descriptors are not built at start-up (issue 3's start-up and memory
 * budget). {@code /config_dump} builds them on its first use.
 */
final class Bootstrap {
  private Bootstrap() {}

  /** The {@code JsonFormat} registry for {@code /config_dump}, built on its first use. */
  static final class DumpTypes {
    private DumpTypes() {}

    static final com.google.protobuf.util.JsonFormat.TypeRegistry REGISTRY = registry();

    private static com.google.protobuf.util.JsonFormat.TypeRegistry registry() {
      var b = com.google.protobuf.util.JsonFormat.TypeRegistry.newBuilder()
          .add(io.envoyproxy.envoy.admin.v3.ListenersConfigDump.getDescriptor())
          .add(io.envoyproxy.envoy.admin.v3.ClustersConfigDump.getDescriptor())
          .add(io.envoyproxy.envoy.admin.v3.RoutesConfigDump.getDescriptor())
          .add(io.envoyproxy.envoy.admin.v3.EndpointsConfigDump.getDescriptor())
          .add(io.envoyproxy.envoy.admin.v3.BootstrapConfigDump.getDescriptor());
      // the types a typed_config may carry, as the bootstrap reader accepts them
      for (String javaClass : EnvoySchema.load().typed().values()) {
        try {
          b.add((com.google.protobuf.Descriptors.Descriptor) Class.forName(javaClass).getMethod("getDescriptor").invoke(null));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(EnvoySchema.RESOURCE + ": " + javaClass, e);
        }
      }
      return b.build();
    }
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming {@code source}, the field and what was expected
   */
  static io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap parse(String source, String text) {
    return decode(source, encode(source, text));
  }

  /**
   * The wire form of {@code text}.
   *
   * @throws IllegalArgumentException naming {@code source}, the field and what was expected
   */
  static byte[] encode(String source, String text) {
    try {
      EnvoySchema schema = EnvoySchema.load();
      return new ProtoYaml(schema).encode(text, schema.root());
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new IllegalArgumentException(source + ": not valid YAML/JSON (" + e.getMessage() + ")", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": not a valid Envoy v3 bootstrap (" + e.getMessage() + ")", e);
    }
  }

  /** The bootstrap in {@code wire}, as {@link #encode} wrote it. */
  static io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap decode(String source, byte[] wire) {
    try {
      return io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.parseFrom(wire);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(source + ": re-reading the bootstrap's wire form", e);
    }
  }
}
