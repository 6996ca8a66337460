package dev.sluice.proxy.core.xds;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A {@code google.protobuf.Struct} as plain Java values, for code that must not see protobuf types. */
public final class Structs {
  private Structs() {}

  /**
   * The struct's fields, in order: {@code String}, {@code Double}, {@code Boolean}, {@code null},
   * nested {@code Map}s and {@code List}s, all unmodifiable.
   */
  public static Map<String, @Nullable Object> toJava(Struct s) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    s.getFieldsMap().forEach((k, v) -> m.put(k, toJava(v)));
    return Collections.unmodifiableMap(m);
  }

  private static @Nullable Object toJava(Value v) {
    return switch (v.getKindCase()) {
      case STRING_VALUE -> v.getStringValue();
      case NUMBER_VALUE -> v.getNumberValue();
      case BOOL_VALUE -> v.getBoolValue();
      case STRUCT_VALUE -> toJava(v.getStructValue());
      case LIST_VALUE -> toJava(v.getListValue());
      case NULL_VALUE, KIND_NOT_SET -> null;
    };
  }

  private static List<@Nullable Object> toJava(ListValue l) {
    List<@Nullable Object> out = new ArrayList<>(l.getValuesCount());
    for (Value v : l.getValuesList()) {
      out.add(toJava(v));
    }
    return Collections.unmodifiableList(out);
  }
}
