package dev.sluice.proxy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
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
 * Reads a YAML (or JSON) document into a protobuf message with the proto3 JSON mapping, as
 * {@code JsonFormat.parser()} does, straight from SnakeYAML's node tree: no Jackson, no Gson, no
 * {@code JsonFormat}, which together were ~550 classes and a third of the start-up time of the
 * proxy. Scalars stay text until the target field's type is known, so YAML 1.1's {@code yes}/{@code
 * on} are never booleans and {@code "1s"} is a Duration only where one is expected.
 *
 * <p>Supported: field names as in the proto or in lowerCamelCase, nested and repeated messages,
 * maps, enums by name or number, all scalar types (64-bit integers and floats as numbers or
 * strings, bytes as base64), {@code null} (the field stays unset), {@code Any} with {@code @type}
 * resolved through {@code types}, and the well-known types Duration, Timestamp, FieldMask, the
 * wrappers, Struct, Value, ListValue and Empty. Unknown fields and unknown {@code @type}s are
 * errors naming the path.
 */
final class ProtoYaml {
  private final Function<String, @Nullable Descriptor> types;

  /** {@code types}: the descriptor of a full type name ({@code envoy.config...Listener}), or null. */
  ProtoYaml(Function<String, @Nullable Descriptor> types) {
    this.types = types;
  }

  /**
   * Merges {@code text} into {@code builder}.
   *
   * @throws IllegalArgumentException naming the path of the offending value
   */
  void merge(String text, Message.Builder builder) {
    LoaderOptions opts = new LoaderOptions();
    opts.setAllowDuplicateKeys(false);
    opts.setMaxAliasesForCollections(50);
    Composer composer = new Composer(new ParserImpl(new StreamReader(jsonTabs(text)), opts), new Resolver(), opts);
    Node root = composer.getSingleNode();
    if (root == null || isNull(root)) {
      return;
    }
    // Built as a DynamicMessage (descriptors only), then parsed into the generated builder: the
    // generated classes' reflection (field accessor tables, which load every field's message,
    // builder and OrBuilder class) never runs; only the messages present are loaded, by the
    // generated parser. ~550 fewer classes at start-up.
    DynamicMessage.Builder dynamic = DynamicMessage.newBuilder(builder.getDescriptorForType());
    mergeMessage(root, dynamic, "");
    try {
      builder.mergeFrom(dynamic.build().toByteString());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("re-parsing " + builder.getDescriptorForType().getFullName(), e);
    }
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

  private void mergeMessage(Node node, Message.Builder b, String path) {
    Descriptor d = b.getDescriptorForType();
    if (mergeWellKnown(node, b, d, path)) {
      return;
    }
    if (!(node instanceof MappingNode m)) {
      throw error(path, "expected an object for " + d.getFullName());
    }
    for (NodeTuple t : m.getValue()) {
      String key = scalar(t.getKeyNode(), path);
      FieldDescriptor f = d.findFieldByName(key);
      if (f == null) {
        f = byJsonName(d, key);
      }
      String p = path.isEmpty() ? key : path + "." + key;
      if (f == null) {
        throw error(p, "unknown field of " + d.getFullName());
      }
      Node v = t.getValueNode();
      if (isNull(v) && !(f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && f.getMessageType().getFullName().equals("google.protobuf.Value"))) {
        continue;
      }
      if (f.isMapField()) {
        mergeMap(v, b, f, p);
      } else if (f.isRepeated()) {
        if (!(v instanceof SequenceNode seq)) {
          throw error(p, "expected a list");
        }
        int i = 0;
        for (Node e : seq.getValue()) {
          b.addRepeatedField(f, value(e, b, f, p + "[" + i++ + "]"));
        }
      } else {
        b.setField(f, value(v, b, f, p));
      }
    }
  }

  private static @Nullable FieldDescriptor byJsonName(Descriptor d, String key) {
    for (FieldDescriptor f : d.getFields()) {
      if (f.getJsonName().equals(key)) {
        return f;
      }
    }
    return null;
  }

  private void mergeMap(Node v, Message.Builder b, FieldDescriptor f, String path) {
    if (!(v instanceof MappingNode m)) {
      throw error(path, "expected an object (a map)");
    }
    Descriptor entry = f.getMessageType();
    FieldDescriptor kf = entry.findFieldByName("key");
    FieldDescriptor vf = entry.findFieldByName("value");
    for (NodeTuple t : m.getValue()) {
      String key = scalar(t.getKeyNode(), path);
      Message.Builder e = b.newBuilderForField(f);
      String p = path + "[" + key + "]";
      e.setField(kf, scalarValue(kf, key, p));
      e.setField(vf, value(t.getValueNode(), e, vf, p));
      b.addRepeatedField(f, e.build());
    }
  }

  private Object value(Node v, Message.Builder parent, FieldDescriptor f, String path) {
    return switch (f.getJavaType()) {
      case MESSAGE -> {
        Message.Builder mb = parent.newBuilderForField(f);
        mergeMessage(v, mb, path);
        yield mb.build();
      }
      case ENUM -> enumValue(f, scalar(v, path), path);
      default -> scalarValue(f, scalar(v, path), path);
    };
  }

  private static String scalar(Node n, String path) {
    if (n instanceof ScalarNode s) {
      return s.getValue();
    }
    throw error(path, "expected a value, not " + (n instanceof MappingNode ? "an object" : "a list"));
  }

  private static EnumValueDescriptor enumValue(FieldDescriptor f, String s, String path) {
    EnumValueDescriptor e = f.getEnumType().findValueByName(s);
    if (e == null) {
      try {
        e = f.getEnumType().findValueByNumberCreatingIfUnknown(Integer.parseInt(s));
      } catch (NumberFormatException ex) {
        throw error(path, s + " (expected: one of " + f.getEnumType().getValues().stream()
            .map(EnumValueDescriptor::getName).toList() + ")");
      }
    }
    return e;
  }

  private static Object scalarValue(FieldDescriptor f, String s, String path) {
    try {
      return switch (f.getType()) {
        case INT32, SINT32, SFIXED32 -> integer(s).intValueExact();
        case UINT32, FIXED32 -> {
          long v = integer(s).longValueExact();
          if (v < 0 || v > 0xFFFFFFFFL) {
            throw new NumberFormatException();
          }
          yield (int) v;
        }
        case INT64, SINT64, SFIXED64 -> integer(s).longValueExact();
        case UINT64, FIXED64 -> {
          BigInteger v = integer(s);
          if (v.signum() < 0 || v.bitLength() > 64) {
            throw new NumberFormatException();
          }
          yield v.longValue();
        }
        case DOUBLE -> floating(s);
        case FLOAT -> (float) floating(s);
        case BOOL -> switch (s) {
          case "true" -> true;
          case "false" -> false;
          default -> throw new NumberFormatException();
        };
        case STRING -> s;
        case BYTES -> ByteString.copyFrom(s.contains("-") || s.contains("_")
            ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s));
        default -> throw error(path, "unsupported field type " + f.getType());
      };
    } catch (ArithmeticException | IllegalArgumentException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith(where(path))) {
        throw iae;
      }
      throw error(path, s + " (expected: a valid " + f.getType().name().toLowerCase(java.util.Locale.ROOT) + ")");
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

  /** The JSON forms of the well-known types; false when {@code d} is an ordinary message. */
  private boolean mergeWellKnown(Node node, Message.Builder b, Descriptor d, String path) {
    String name = d.getFullName();
    if (!name.startsWith("google.protobuf.")) {
      return false;
    }
    switch (name) {
      case "google.protobuf.Any" -> b.mergeFrom(any(node, path));
      case "google.protobuf.Duration" -> b.mergeFrom(duration(scalar(node, path), path));
      case "google.protobuf.Timestamp" -> {
        try {
          java.time.Instant t = java.time.Instant.parse(scalar(node, path));
          b.mergeFrom(com.google.protobuf.Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build());
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
        b.mergeFrom(fm.build());
      }
      case "google.protobuf.Struct" -> b.mergeFrom(struct(node, path));
      case "google.protobuf.Value" -> b.mergeFrom(structValue(node, path));
      case "google.protobuf.ListValue" -> b.mergeFrom(listValue(node, path));
      case "google.protobuf.Empty" -> {
        if (!(node instanceof MappingNode m) || !m.getValue().isEmpty()) {
          throw error(path, "expected {} for google.protobuf.Empty");
        }
      }
      case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue" -> {
        FieldDescriptor f = d.findFieldByName("value");
        b.setField(f, scalarValue(f, scalar(node, path), path));
      }
      default -> {
        return false;
      }
    }
    return true;
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

  private Any any(Node node, String path) {
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
        return Any.getDefaultInstance();
      }
      throw error(path, "missing @type");
    }
    String typeName = url.substring(url.lastIndexOf('/') + 1);
    Descriptor proto = types.apply(typeName);
    if (proto == null) {
      throw error(path + ".@type", url + " (expected: a type this proxy knows)");
    }
    Message.Builder ib = DynamicMessage.newBuilder(proto);
    List<NodeTuple> rest = new java.util.ArrayList<>(m.getValue().size());
    Node wrapped = null;
    for (NodeTuple t : m.getValue()) {
      String k = scalar(t.getKeyNode(), path);
      if (k.equals("@type")) {
        continue;
      }
      if (k.equals("value") && typeName.startsWith("google.protobuf.")) {
        wrapped = t.getValueNode();
      }
      rest.add(t);
    }
    if (typeName.startsWith("google.protobuf.") && !typeName.equals("google.protobuf.Any") && wrapped != null
        && mergeWellKnown(wrapped, ib, ib.getDescriptorForType(), path + ".value")) {
      // well-known types carry their JSON form under "value"
    } else {
      mergeMessage(new MappingNode(m.getTag(), rest, m.getFlowStyle()), ib, path);
    }
    return Any.newBuilder().setTypeUrl(url).setValue(ib.build().toByteString()).build();
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

  /** For tests: the types of {@code messages}, by full name. */
  static Function<String, @Nullable Descriptor> typesOf(List<Message> messages) {
    Map<String, Descriptor> m = new java.util.HashMap<>();
    for (Message x : messages) {
      m.put(x.getDescriptorForType().getFullName(), x.getDescriptorForType());
    }
    return m::get;
  }
}
