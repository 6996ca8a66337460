package dev.sluice.proxy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Field names, numbers and types of the Envoy API messages a bootstrap can hold, read from {@code
 * envoy-schema.txt} (generated from the API's protobuf descriptors by {@code EnvoySchemaTest}).
 *
 * <p>Why not the descriptors themselves: building them for the bootstrap's file graph (~80
 * {@code .proto} files with their validation options) costs most of the proxy's start-up time and
 * ~8 MB of heap that stays live for the life of the process. This table is read once per bootstrap
 * parse, message by message as the document needs them, and then dropped.
 */
final class EnvoySchema {
  static final String RESOURCE = "/dev/sluice/proxy/internal/envoy-schema.txt";

  /** Cardinality of a field as the wire sees it. */
  enum Card {
    /** singular, not written when it holds its default (proto3 implicit presence) */
    IMPLICIT,
    /** singular with presence: messages, oneof members, {@code optional} */
    OPTIONAL,
    REPEATED,
    /** repeated scalars written as one length-delimited run */
    PACKED,
    MAP
  }

  /**
   * One field.
   *
   * @param type a scalar type ({@code int32}, {@code string}, …) or the full name of a message or
   *     enum; for a map, the value's type
   * @param keyType for a map, the key's scalar type; otherwise null
   */
  record Field(String name, String jsonName, int number, Card card, String type, @Nullable String keyType) {}

  /** One message: its fields by proto name and by JSON name, and in field-number order. */
  record MessageType(String fullName, Map<String, Field> byName, List<Field> byNumber) {}

  /** One enum: its values by name, in declaration order. */
  record EnumType(String fullName, Map<String, Integer> values) {}

  private static final Set<String> SCALARS = Set.of("double", "float", "int64", "uint64", "int32", "fixed64",
      "fixed32", "bool", "string", "bytes", "uint32", "sfixed32", "sfixed64", "sint32", "sint64");

  private final String text;
  private final String root;
  private final Map<String, String> typed = new LinkedHashMap<>();
  private final Map<String, Integer> messageAt = new HashMap<>();
  private final Map<String, Integer> enumAt = new HashMap<>();
  private final Map<String, MessageType> messages = new HashMap<>();
  private final Map<String, EnumType> enums = new HashMap<>();

  EnvoySchema(String text) {
    this.text = text;
    String r = null;
    for (int at = 0; at < text.length(); ) {
      int end = lineEnd(at);
      char kind = text.charAt(at);
      if (kind != ' ' && end > at + 2 && text.charAt(at + 1) == ' ') {
        int nameEnd = text.indexOf(' ', at + 2);
        String name = text.substring(at + 2, nameEnd < 0 || nameEnd > end ? end : nameEnd);
        switch (kind) {
          case 'R' -> r = name;
          case 'T' -> typed.put(name, text.substring(nameEnd + 1, end));
          case 'M' -> messageAt.put(name, end + 1);
          case 'E' -> enumAt.put(name, at);
          default -> { }
        }
      }
      at = end + 1;
    }
    if (r == null) {
      throw new IllegalStateException(RESOURCE + ": no root line");
    }
    this.root = r;
  }

  /** The committed schema. */
  static EnvoySchema load() {
    try (InputStream in = EnvoySchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new EnvoySchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code google.protobuf} types that have their own JSON form and are read as such rather
   * than field by field; the schema does not list their fields.
   */
  static boolean isWellKnown(String fullName) {
    return switch (fullName) {
      case "google.protobuf.Any", "google.protobuf.Duration", "google.protobuf.Timestamp",
          "google.protobuf.FieldMask", "google.protobuf.Struct", "google.protobuf.Value",
          "google.protobuf.ListValue", "google.protobuf.Empty", "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue", "google.protobuf.Int64Value", "google.protobuf.UInt64Value",
          "google.protobuf.Int32Value", "google.protobuf.UInt32Value", "google.protobuf.BoolValue",
          "google.protobuf.StringValue", "google.protobuf.BytesValue" -> true;
      default -> false;
    };
  }

  static boolean isScalar(String type) {
    return SCALARS.contains(type);
  }

  /** The full name of the bootstrap message. */
  String root() {
    return root;
  }

  /** Types an {@code Any} may carry ({@code @type}), full name to generated Java class name. */
  Map<String, String> typed() {
    return typed;
  }

  boolean isEnum(String type) {
    return enumAt.containsKey(type);
  }

  /** The message named {@code fullName}; null when the schema does not list it. */
  @Nullable MessageType message(String fullName) {
    MessageType m = messages.get(fullName);
    if (m == null && messageAt.containsKey(fullName)) {
      m = parseMessage(fullName, messageAt.get(fullName));
      messages.put(fullName, m);
    }
    return m;
  }

  /** The enum named {@code fullName}; null when the schema does not list it. */
  @Nullable EnumType enumType(String fullName) {
    EnumType e = enums.get(fullName);
    if (e == null && enumAt.containsKey(fullName)) {
      int at = enumAt.get(fullName);
      String[] parts = text.substring(at, lineEnd(at)).split(" ");
      Map<String, Integer> values = new LinkedHashMap<>();
      for (int i = 2; i < parts.length; i++) {
        int eq = parts[i].indexOf('=');
        values.put(parts[i].substring(0, eq), Integer.parseInt(parts[i].substring(eq + 1)));
      }
      e = new EnumType(fullName, values);
      enums.put(fullName, e);
    }
    return e;
  }

  private MessageType parseMessage(String fullName, int at) {
    Map<String, Field> byName = new HashMap<>();
    List<Field> fields = new ArrayList<>();
    // field lines, indented: name jsonName number card type, or: name jsonName number map keyType valueType
    while (text.startsWith("  ", at)) {
      int end = lineEnd(at);
      String[] p = text.substring(at + 2, end).split(" ");
      boolean map = p[3].equals("map");
      Field f = new Field(p[0], p[1], Integer.parseInt(p[2]),
          map ? Card.MAP : Card.valueOf(p[3].toUpperCase(java.util.Locale.ROOT)),
          map ? p[5] : p[4], map ? p[4] : null);
      fields.add(f);
      byName.put(f.name(), f);
      byName.putIfAbsent(f.jsonName(), f);
      at = end + 1;
    }
    fields.sort(Comparator.comparingInt(Field::number));
    return new MessageType(fullName, byName, List.copyOf(fields));
  }

  private int lineEnd(int at) {
    int end = text.indexOf('\n', at);
    return end < 0 ? text.length() : end;
  }
}
