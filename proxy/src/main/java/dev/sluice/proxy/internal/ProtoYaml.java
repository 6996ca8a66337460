package dev.sluice.proxy.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import dev.sluice.proxy.internal.EnvoySchema.Card;
import dev.sluice.proxy.internal.EnvoySchema.EnumType;
import dev.sluice.proxy.internal.EnvoySchema.Field;
import dev.sluice.proxy.internal.EnvoySchema.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a YAML (or JSON) document into the protobuf wire form of an Envoy API message with the
 * proto3 JSON mapping, as {@code JsonFormat.parser()} does, straight from SnakeYAML's node tree and
 * the field table of {@link EnvoySchema}: no Jackson, no Gson, no {@code JsonFormat} and no
 * protobuf descriptors (building the Envoy API's descriptors was most of the proxy's start-up time
 * and ~8 MB of live heap). The bytes are then parsed by the generated parser of the target type.
 * Scalars stay text until the target field's type is known, so YAML 1.1's {@code yes}/{@code on}
 * are never booleans and {@code "1s"} is a Duration only where one is expected.
 *
 * <p>Supported: field names as in the proto or in lowerCamelCase, nested and repeated messages,
 * maps, enums by name or number, all scalar types (64-bit integers and floats as numbers or
 * strings, bytes as base64), {@code null} (the field stays unset), {@code Any} with {@code @type}
 * one of the schema's typed messages, and the well-known types Duration, Timestamp, FieldMask, the
 * wrappers, Struct, Value, ListValue and Empty. Unknown fields and unknown {@code @type}s are
 * errors naming the path.
 *
 * <p>Fields are written in field-number order and proto3 defaults of fields without presence are
 * left out, so the bytes inside an {@code Any} are the ones protobuf's own serializer would write
 * and {@code Any}s compare equal to those built by {@code JsonFormat}.
 */
final class ProtoYaml {
  private final EnvoySchema schema;

  ProtoYaml(EnvoySchema schema) {
    this.schema = schema;
  }

  /**
   * The wire form of {@code text} read as a {@code typeName} message.
   *
   * @throws IllegalArgumentException naming the path of the offending value
   */
  byte[] encode(String text, String typeName) {
    LoaderOptions opts = new LoaderOptions();
    opts.setAllowDuplicateKeys(false);
    opts.setMaxAliasesForCollections(50);
    Composer composer = new Composer(new ParserImpl(new StreamReader(jsonTabs(text)), opts), new Resolver(), opts);
    Node root = composer.getSingleNode();
    if (root == null || isNull(root)) {
      return new byte[0];
    }
    return message(root, typeName, "");
  }

  /** JSON allows tabs between tokens, YAML does not: outside strings they become spaces. */
  private static String jsonTabs(String text) {
    if (text.indexOf('\t') < 0 || !text.stripLeading().startsWith("{")) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString && c == '\\' && i + 1 < text.length()) {
        sb.append(c).append(text.charAt(++i));
        continue;
      }
      if (c == '"') {
        inString = !inString;
      }
      sb.append(!inString && c == '\t' ? ' ' : c);
    }
    return sb.toString();
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode s && s.isPlain() && (s.getValue().equals("null") || s.getValue().equals("~")
        || s.getValue().isEmpty());
  }

  private static String where(String path) {
    return path.isEmpty() ? "(root)" : path;
  }

  private static IllegalArgumentException error(String path, String message) {
    return new IllegalArgumentException(where(path) + ": " + message);
  }

  /** A field's value, still as YAML, with the path it was found at. */
  private record Entry(Field field, Node value, String path) {}

  /** The wire form of {@code node} read as a {@code typeName} message. */
  private byte[] message(Node node, String typeName, String path) {
    if (EnvoySchema.isWellKnown(typeName)) {
      return wellKnown(node, typeName, path);
    }
    MessageType type = schema.message(typeName);
    if (type == null) {
      throw new IllegalStateException(EnvoySchema.RESOURCE + " lists no message " + typeName);
    }
    if (!(node instanceof MappingNode m)) {
      throw error(path, "expected an object for " + typeName);
    }
    List<Entry> entries = new ArrayList<>(m.getValue().size());
    for (NodeTuple t : m.getValue()) {
      String key = scalar(t.getKeyNode(), path);
      String p = path.isEmpty() ? key : path + "." + key;
      Field f = type.byName().get(key);
      if (f == null) {
        throw error(p, "unknown field of " + typeName);
      }
      if (!isNull(t.getValueNode()) || f.type().equals("google.protobuf.Value")) {
        entries.add(new Entry(f, t.getValueNode(), p));
      }
    }
    entries.sort(Comparator.comparingInt(e -> e.field().number()));
    Wire out = new Wire();
    for (Entry e : entries) {
      field(out, e.field(), e.value(), e.path());
    }
    return out.bytes();
  }

  private void field(Wire out, Field f, Node v, String path) {
    switch (f.card()) {
      case MAP -> {
        if (!(v instanceof MappingNode m)) {
          throw error(path, "expected an object (a map)");
        }
        for (NodeTuple t : m.getValue()) {
          String key = scalar(t.getKeyNode(), path);
          String p = path + "[" + key + "]";
          Wire entry = new Wire();
          entry.scalar(1, Objects.requireNonNull(f.keyType()), scalarValue(f.keyType(), key, p));
          single(entry, 2, f.type(), t.getValueNode(), p, false);
          out.bytes(f.number(), entry.bytes());
        }
      }
      case REPEATED, PACKED -> {
        if (!(v instanceof SequenceNode seq)) {
          throw error(path, "expected a list");
        }
        Wire packed = f.card() == Card.PACKED ? new Wire() : null;
        int i = 0;
        for (Node e : seq.getValue()) {
          String p = path + "[" + i++ + "]";
          if (packed != null) {
            packed.packedScalar(f.type(), value(f.type(), e, p));
          } else {
            single(out, f.number(), f.type(), e, p, false);
          }
        }
        if (packed != null && i > 0) {
          out.bytes(f.number(), packed.bytes());
        }
      }
      case IMPLICIT -> single(out, f.number(), f.type(), v, path, true);
      case OPTIONAL -> single(out, f.number(), f.type(), v, path, false);
    }
  }

  /** One value of field {@code number}; with {@code skipDefault}, a proto3 default is not written. */
  private void single(Wire out, int number, String type, Node v, String path, boolean skipDefault) {
    if (!EnvoySchema.isScalar(type) && !schema.isEnum(type)) {
      out.bytes(number, message(v, type, path));
      return;
    }
    Object value = value(type, v, path);
    if (!(skipDefault && isDefault(value))) {
      out.scalar(number, type, value);
    }
  }

  /** A scalar or enum value (an enum as its number). */
  private Object value(String type, Node v, String path) {
    if (schema.isEnum(type)) {
      return enumValue(type, scalar(v, path), path);
    }
    return scalarValue(type, scalar(v, path), path);
  }

  private static boolean isDefault(Object v) {
    return switch (v) {
      case Integer i -> i == 0;
      case Long l -> l == 0;
      case Boolean b -> !b;
      case Double d -> Double.doubleToRawLongBits(d) == 0;
      case Float f -> Float.floatToRawIntBits(f) == 0;
      case String s -> s.isEmpty();
      case ByteString b -> b.isEmpty();
      default -> false;
    };
  }

  private static String scalar(Node n, String path) {
    if (n instanceof ScalarNode s) {
      return s.getValue();
    }
    throw error(path, "expected a value, not " + (n instanceof MappingNode ? "an object" : "a list"));
  }

  private int enumValue(String type, String s, String path) {
    EnumType e = Objects.requireNonNull(schema.enumType(type));
    Integer n = e.values().get(s);
    if (n != null) {
      return n;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException ex) {
      throw error(path, s + " (expected: one of " + List.copyOf(e.values().keySet()) + ")");
    }
  }

  /** A scalar of protobuf type {@code type} ({@code int32}, …) as its Java value. */
  private static Object scalarValue(String type, String s, String path) {
    try {
      return switch (type) {
        case "int32", "sint32", "sfixed32" -> integer(s).intValueExact();
        case "uint32", "fixed32" -> {
          long v = integer(s).longValueExact();
          if (v < 0 || v > 0xFFFFFFFFL) {
            throw new NumberFormatException();
          }
          yield (int) v;
        }
        case "int64", "sint64", "sfixed64" -> integer(s).longValueExact();
        case "uint64", "fixed64" -> {
          BigInteger v = integer(s);
          if (v.signum() < 0 || v.bitLength() > 64) {
            throw new NumberFormatException();
          }
          yield v.longValue();
        }
        case "double" -> floating(s);
        case "float" -> (float) floating(s);
        case "bool" -> switch (s) {
          case "true" -> true;
          case "false" -> false;
          default -> throw new NumberFormatException();
        };
        case "string" -> s;
        case "bytes" -> ByteString.copyFrom(s.contains("-") || s.contains("_")
            ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s));
        default -> throw new IllegalStateException("not a scalar type: " + type);
      };
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw error(path, s + " (expected: a valid " + type + ")");
    }
  }

  private static BigInteger integer(String s) {
    BigDecimal d = new BigDecimal(s);
    return d.toBigIntegerExact();
  }

  private static double floating(String s) {
    return switch (s) {
      case "Infinity", ".inf" -> Double.POSITIVE_INFINITY;
      case "-Infinity", "-.inf" -> Double.NEGATIVE_INFINITY;
      case "NaN", ".nan" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  /** The wire form of a well-known type from its JSON form. */
  private byte[] wellKnown(Node node, String name, String path) {
    return switch (name) {
      case "google.protobuf.Any" -> any(node, path);
      case "google.protobuf.Duration" -> duration(scalar(node, path), path).toByteArray();
      case "google.protobuf.Timestamp" -> {
        try {
          java.time.Instant t = java.time.Instant.parse(scalar(node, path));
          yield com.google.protobuf.Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build()
              .toByteArray();
        } catch (java.time.format.DateTimeParseException e) {
          throw error(path, scalar(node, path) + " (expected: an RFC 3339 timestamp)");
        }
      }
      case "google.protobuf.FieldMask" -> {
        var fm = com.google.protobuf.FieldMask.newBuilder();
        for (String p : scalar(node, path).split(",")) {
          if (!p.isBlank()) {
            fm.addPaths(camelToSnake(p.strip()));
          }
        }
        yield fm.build().toByteArray();
      }
      case "google.protobuf.Struct" -> struct(node, path).toByteArray();
      case "google.protobuf.Value" -> structValue(node, path).toByteArray();
      case "google.protobuf.ListValue" -> listValue(node, path).toByteArray();
      case "google.protobuf.Empty" -> {
        if (!(node instanceof MappingNode m) || !m.getValue().isEmpty()) {
          throw error(path, "expected {} for google.protobuf.Empty");
        }
        yield new byte[0];
      }
      default -> {
        // the wrappers: DoubleValue … BytesValue, one field "value" = 1 of the wrapped type
        String type = name.substring("google.protobuf.".length(), name.length() - "Value".length())
            .toLowerCase(java.util.Locale.ROOT);
        Wire out = new Wire();
        Object v = scalarValue(type, scalar(node, path), path);
        if (!isDefault(v)) {
          out.scalar(1, type, v);
        }
        yield out.bytes();
      }
    };
  }

  private static String camelToSnake(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isUpperCase(c)) {
        sb.append('_').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private byte[] any(Node node, String path) {
    if (!(node instanceof MappingNode m)) {
      throw error(path, "expected an object with @type");
    }
    String url = null;
    for (NodeTuple t : m.getValue()) {
      if (scalar(t.getKeyNode(), path).equals("@type")) {
        url = scalar(t.getValueNode(), path + ".@type");
      }
    }
    if (url == null) {
      if (m.getValue().isEmpty()) {
        return new byte[0];
      }
      throw error(path, "missing @type");
    }
    String typeName = url.substring(url.lastIndexOf('/') + 1);
    if (!schema.typed().containsKey(typeName)) {
      throw error(path + ".@type", url + " (expected: a type this proxy knows)");
    }
    List<NodeTuple> rest = new ArrayList<>(m.getValue().size());
    Node wrapped = null;
    for (NodeTuple t : m.getValue()) {
      String k = scalar(t.getKeyNode(), path);
      if (k.equals("@type")) {
        continue;
      }
      if (k.equals("value")) {
        wrapped = t.getValueNode();
      }
      rest.add(t);
    }
    // well-known types carry their JSON form under "value"
    byte[] value = EnvoySchema.isWellKnown(typeName) && !typeName.equals("google.protobuf.Any") && wrapped != null
        ? wellKnown(wrapped, typeName, path + ".value")
        : message(new MappingNode(m.getTag(), rest, m.getFlowStyle()), typeName, path);
    Wire out = new Wire();
    out.scalar(1, "string", url);
    if (value.length > 0) {
      out.bytes(2, value);
    }
    return out.bytes();
  }

  private static com.google.protobuf.Duration duration(String s, String path) {
    if (!s.endsWith("s")) {
      throw error(path, s + " (expected: a duration such as \"1.5s\")");
    }
    try {
      BigDecimal secs = new BigDecimal(s.substring(0, s.length() - 1));
      BigDecimal[] parts = secs.divideAndRemainder(BigDecimal.ONE);
      long seconds = parts[0].longValueExact();
      int nanos = parts[1].movePointRight(9).intValueExact();
      if (Math.abs(seconds) > 315_576_000_000L) {
        throw new ArithmeticException();
      }
      return com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    } catch (ArithmeticException | NumberFormatException e) {
      throw error(path, s + " (expected: a duration such as \"1.5s\")");
    }
  }

  private static Struct struct(Node node, String path) {
    if (!(node instanceof MappingNode m)) {
      throw error(path, "expected an object for google.protobuf.Struct");
    }
    Struct.Builder sb = Struct.newBuilder();
    for (NodeTuple t : m.getValue()) {
      String k = scalar(t.getKeyNode(), path);
      sb.putFields(k, structValue(t.getValueNode(), path + "." + k));
    }
    return sb.build();
  }

  private static ListValue listValue(Node node, String path) {
    if (!(node instanceof SequenceNode seq)) {
      throw error(path, "expected a list for google.protobuf.ListValue");
    }
    ListValue.Builder lb = ListValue.newBuilder();
    int i = 0;
    for (Node e : seq.getValue()) {
      lb.addValues(structValue(e, path + "[" + i++ + "]"));
    }
    return lb.build();
  }

  /** A JSON value: plain scalars may be null, booleans or numbers; quoted ones are strings. */
  private static Value structValue(Node node, String path) {
    return switch (node) {
      case MappingNode m -> Value.newBuilder().setStructValue(struct(m, path)).build();
      case SequenceNode s -> Value.newBuilder().setListValue(listValue(s, path)).build();
      case ScalarNode s -> {
        String v = s.getValue();
        if (s.isPlain()) {
          if (isNull(s)) {
            yield Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
          }
          if (v.equals("true") || v.equals("false")) {
            yield Value.newBuilder().setBoolValue(v.equals("true")).build();
          }
          if (NUMBER.matcher(v).matches()) {
            yield Value.newBuilder().setNumberValue(Double.parseDouble(v)).build();
          }
        }
        yield Value.newBuilder().setStringValue(v).build();
      }
      default -> throw error(path, "unsupported YAML node " + node.getNodeId());
    };
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

  /** A growing message in wire form. */
  private static final class Wire {
    private final ByteString.Output buf = ByteString.newOutput(64);
    private final CodedOutputStream out = CodedOutputStream.newInstance(buf, 64);

    void bytes(int number, byte[] value) {
      try {
        out.writeByteArray(number, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** {@code value} as field {@code number} of scalar or enum type {@code type}. */
    void scalar(int number, String type, Object value) {
      try {
        out.writeTag(number, switch (type) {
          case "double", "fixed64", "sfixed64" -> WireFormat.WIRETYPE_FIXED64;
          case "float", "fixed32", "sfixed32" -> WireFormat.WIRETYPE_FIXED32;
          case "string", "bytes" -> WireFormat.WIRETYPE_LENGTH_DELIMITED;
          default -> WireFormat.WIRETYPE_VARINT;
        });
        packedScalar(type, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** {@code value} without a tag, as in a packed run (and after {@link #scalar}'s tag). */
    void packedScalar(String type, Object value) {
      try {
        switch (type) {
          case "double" -> out.writeDoubleNoTag((Double) value);
          case "float" -> out.writeFloatNoTag((Float) value);
          case "int64", "uint64" -> out.writeUInt64NoTag((Long) value);
          case "sint64" -> out.writeSInt64NoTag((Long) value);
          case "fixed64", "sfixed64" -> out.writeFixed64NoTag((Long) value);
          case "sint32" -> out.writeSInt32NoTag((Integer) value);
          case "fixed32", "sfixed32" -> out.writeFixed32NoTag((Integer) value);
          case "uint32" -> out.writeUInt32NoTag((Integer) value);
          case "bool" -> out.writeBoolNoTag((Boolean) value);
          case "string" -> out.writeStringNoTag((String) value);
          case "bytes" -> out.writeBytesNoTag((ByteString) value);
          default -> out.writeInt32NoTag((Integer) value); // int32 and enums
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    byte[] bytes() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return buf.toByteString().toByteArray();
    }
  }
}
