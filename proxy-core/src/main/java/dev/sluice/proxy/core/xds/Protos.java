package dev.sluice.proxy.core.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads generated Envoy messages without building their protobuf descriptors.
 *
 * <p>A descriptor is built for a whole {@code .proto} file, everything it imports and Envoy's
 * validation options: the first one of the Listener's, Cluster's or RouteConfiguration's file graph
 * costs ~0.7 s of start-up and ~8 MB of heap that stays for the life of the process. Generated
 * parsers and getters do not need descriptors, but two things in generated code do:
 * {@code Any.unpack} (it checks the type URL against the target's descriptor) and every access to
 * a map field, even an empty one (the map's default entry is made from the descriptor).
 */
final class Protos {
  private Protos() {}

  /**
   * The message in {@code any}, which must carry {@code typeUrl}'s type (any URL prefix, as
   * {@code Any.unpack}).
   *
   * @throws InvalidProtocolBufferException when the type differs or the bytes are not a valid message
   */
  static <T extends Message> T unpack(Any any, String typeUrl, Parser<T> parser) throws InvalidProtocolBufferException {
    if (!typeName(any.getTypeUrl()).equals(typeName(typeUrl))) {
      throw new InvalidProtocolBufferException("type " + any.getTypeUrl() + " is not " + typeUrl);
    }
    return parser.parseFrom(any.getValue());
  }

  /** The full type name in a type URL: the part after the last {@code /}. */
  static String typeName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }

  /** The simple name of a type URL's type ({@code HttpConnectionManager}), for error messages. */
  static String simpleName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
  }

  /**
   * A map field of a generated message, read as empty without calling the generated getter when
   * the message never had the field set: generated code leaves its {@code MapField} null until
   * then. Should the generated code name the field differently, the getter is always called
   * (correct, only with descriptors).
   */
  static final class MapField<M extends Message, V> {
    private final @Nullable VarHandle field;
    private final Function<M, Map<String, V>> getter;

    /** {@code javaField}: the generated private field, {@code fooBar_} for a field {@code foo_bar}. */
    MapField(Class<M> type, String javaField, Function<M, Map<String, V>> getter) {
      this.getter = getter;
      VarHandle h;
      try {
        h = MethodHandles.privateLookupIn(type, MethodHandles.lookup())
            .findVarHandle(type, javaField, com.google.protobuf.MapField.class);
      } catch (ReflectiveOperationException | RuntimeException e) {
        h = null;
      }
      this.field = h;
    }

    Map<String, V> get(M message) {
      if (field != null && field.get(message) == null) {
        return Map.of();
      }
      return getter.apply(message);
    }

    /** Whether reading an unset map skips the generated getter (for tests). */
    boolean guarded() {
      return field != null;
    }
  }
}
