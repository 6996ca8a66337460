package dev.sluice.config.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Kubernetes' {@code IntOrString} (for example a Service's {@code targetPort}). */
@JsonDeserialize(using = IntOrString.Deserializer.class)
public record IntOrString(@Nullable Integer intValue, @Nullable String stringValue) {
  public static IntOrString of(int v) {
    return new IntOrString(v, null);
  }

  public boolean isInt() {
    return intValue != null;
  }

  @Override
  public String toString() {
    return intValue != null ? intValue.toString() : stringValue == null ? "" : stringValue;
  }

  /** Numbers become ints; numeric strings stay strings, as in Kubernetes. */
  static final class Deserializer extends StdDeserializer<IntOrString> {
    Deserializer() {
      super(IntOrString.class);
    }

    @Override
    public IntOrString deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode n = p.readValueAsTree();
      if (n.isIntegralNumber()) {
        return new IntOrString(n.intValue(), null);
      }
      return new IntOrString(null, n.asText());
    }
  }
}
