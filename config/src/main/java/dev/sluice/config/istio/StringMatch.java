package dev.sluice.config.istio;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Iterator;

/**
 * Istio's {@code StringMatch}: exactly one of {@code exact}, {@code prefix}, {@code regex}, or none
 * ({@code {}}), which Istio reads as "present with any value" for headers and query parameters.
 */
@JsonDeserialize(using = StringMatch.Deserializer.class)
public sealed interface StringMatch {
  /** The matched text (empty for {@link Any}). */
  String value();

  /** The field name as it appears in YAML ({@code exact}, {@code prefix}, {@code regex}, or empty). */
  String type();

  record Exact(String value) implements StringMatch {
    public Exact {
      requireNonNull(value, "value");
    }

    @Override
    public String type() {
      return "exact";
    }
  }

  record Prefix(String value) implements StringMatch {
    public Prefix {
      requireNonNull(value, "value");
    }

    @Override
    public String type() {
      return "prefix";
    }
  }

  record Regex(String value) implements StringMatch {
    public Regex {
      requireNonNull(value, "value");
    }

    @Override
    public String type() {
      return "regex";
    }
  }

  /** An empty match object {@code {}}. */
  record Any() implements StringMatch {
    @Override
    public String value() {
      return "";
    }

    @Override
    public String type() {
      return "";
    }
  }

  static StringMatch exact(String v) {
    return new Exact(v);
  }

  static StringMatch prefix(String v) {
    return new Prefix(v);
  }

  static StringMatch regex(String v) {
    return new Regex(v);
  }

  /** Reads the one-of from YAML, refusing unknown fields and more than one match type. */
  final class Deserializer extends StdDeserializer<StringMatch> {
    public Deserializer() {
      super(StringMatch.class);
    }

    @Override
    public StringMatch deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode node = p.readValueAsTree();
      if (!node.isObject()) {
        return (StringMatch) ctx.handleUnexpectedToken(StringMatch.class, p);
      }
      StringMatch result = new Any();
      int count = 0;
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        JsonNode v = node.get(name);
        if (v.isNull()) {
          continue;
        }
        String text = v.isValueNode() ? v.asText() : v.toString();
        result = switch (name) {
          case "exact" -> new Exact(text);
          case "prefix" -> new Prefix(text);
          case "regex" -> new Regex(text);
          default -> (StringMatch) ctx.reportInputMismatch(StringMatch.class,
              "unknown field \"" + name + "\" (expected one of exact, prefix, regex)");
        };
        count++;
      }
      if (count > 1) {
        return (StringMatch) ctx.reportInputMismatch(StringMatch.class,
            "only one of exact, prefix or regex may be set");
      }
      return result;
    }
  }
}
