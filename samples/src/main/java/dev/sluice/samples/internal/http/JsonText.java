package dev.sluice.samples.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON exactly as the original samples' runtimes do, from plain values ({@link Map}s in
 * the order to print, {@link List}s, strings, numbers, booleans, null):
 *
 * <ul>
 *   <li>{@link Style#PYTHON}: Python's {@code json.dumps} defaults ({@code ", "} and {@code ": "},
 *       non-ASCII as {@code \\uXXXX}) — productpage's API answers;
 *   <li>{@link Style#PYTHON_PRETTY}: Flask's pretty {@code jsonify} (indent 2, {@code ","}) —
 *       the Python httpbin;
 *   <li>{@link Style#GO_PRETTY}: Go's encoder with {@code SetIndent("", "  ")} and no HTML
 *       escaping — go-httpbin;
 *   <li>{@link Style#PYTHON_COMPACT}: Python with {@code separators=(",", ":")} — Flask's
 *       session cookie;
 *   <li>{@link Style#COMPACT}: no spaces (Ruby's {@code to_json}, Node's {@code JSON.stringify}).
 * </ul>
 */
public final class JsonText {

  /** Output conventions. */
  public enum Style { PYTHON, PYTHON_COMPACT, PYTHON_PRETTY, GO_PRETTY, COMPACT }

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private JsonText() {}

  /** Parses JSON text into plain values (objects as ordered {@link Map}s). */
  public static @Nullable Object parse(String text) throws JsonProcessingException {
    return MAPPER.readValue(text, Object.class);
  }

  /** Writes {@code value} in {@code style}. */
  public static String write(@Nullable Object value, Style style) {
    StringBuilder out = new StringBuilder();
    write(out, value, style, 0);
    return out.toString();
  }

  private static void write(StringBuilder out, @Nullable Object value, Style style, int depth) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s, style);
      case Boolean b -> out.append(b ? "true" : "false");
      case BigDecimal d -> out.append(switch (style) {
        case GO_PRETTY -> d.toPlainString();
        case COMPACT -> jsNumber(d);
        default -> pyFloat(d);
      });
      case Double d -> out.append(pyFloat(BigDecimal.valueOf(d)));
      case Number n -> out.append(n);
      case Map<?, ?> m -> container(out, m.entrySet(), style, depth, '{', '}');
      case List<?> l -> container(out, l, style, depth, '[', ']');
      default -> string(out, value.toString(), style);
    }
  }

  private static void container(
      StringBuilder out, java.util.Collection<?> items, Style style, int depth, char open, char close) {
    out.append(open);
    if (items.isEmpty()) {
      out.append(close);
      return;
    }
    boolean pretty = style == Style.PYTHON_PRETTY || style == Style.GO_PRETTY;
    boolean first = true;
    for (Object item : items) {
      if (!first) {
        out.append(style == Style.PYTHON ? ", " : ",");
      }
      first = false;
      if (pretty) {
        out.append('\n').append("  ".repeat(depth + 1));
      }
      if (item instanceof Map.Entry<?, ?> e) {
        string(out, String.valueOf(e.getKey()), style);
        out.append(style == Style.COMPACT || style == Style.PYTHON_COMPACT ? ":" : ": ");
        write(out, e.getValue(), style, depth + 1);
      } else {
        write(out, item, style, depth + 1);
      }
    }
    if (pretty) {
      out.append('\n').append("  ".repeat(depth));
    }
    out.append(close);
  }

  private static void string(StringBuilder out, String s, Style style) {
    boolean ascii = style == Style.PYTHON || style == Style.PYTHON_COMPACT
        || style == Style.PYTHON_PRETTY;
    boolean go = style == Style.GO_PRETTY;
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append(go ? "\\u0008" : "\\b");
        case '\f' -> out.append(go ? "\\u000c" : "\\f");
        default -> {
          if (c < 0x20 || (ascii && c > 0x7e) || (go && (c == '\u2028' || c == '\u2029'))) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  // JavaScript's Number#toString for the usual magnitudes: 5 (not 5.0), 4.5.
  private static String jsNumber(BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    return stripped.scale() <= 0 ? stripped.toBigInteger().toString() : stripped.toPlainString();
  }

  // Python's float repr: shortest round-trip digits, always with a fraction part.
  private static String pyFloat(BigDecimal d) {
    String s = Double.toString(d.doubleValue());
    if (s.contains("E")) {
      return s.replace("E", "e");
    }
    return s;
  }
}
