package dev.sluice.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.istio.Spec;
import dev.sluice.config.yaml.YamlDocument;
import dev.sluice.config.yaml.YamlException;
import dev.sluice.config.yaml.YamlReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns YAML documents into {@link Resource}s. A document that does not fit its kind's schema
 * becomes a {@link LoadProblem} naming the field and what was expected; the other documents are
 * not affected.
 */
public final class ConfigLoader {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private final YamlReader reader;

  public ConfigLoader() {
    this(new YamlReader());
  }

  public ConfigLoader(YamlReader reader) {
    this.reader = reader;
  }

  /** Reads and loads one YAML stream; unreadable YAML is reported as a problem of that input. */
  public LoadResult load(String file, Reader input) {
    List<YamlDocument> docs;
    try {
      docs = reader.read(file, input);
    } catch (YamlException e) {
      return new LoadResult(List.of(), List.of(new LoadProblem(e.origin(), "", "", "", e.getMessage())), List.of());
    }
    return load(docs);
  }

  /** Loads already-read documents. */
  public LoadResult load(List<YamlDocument> docs) {
    List<Resource> resources = new ArrayList<>();
    List<LoadProblem> problems = new ArrayList<>();
    List<UnknownObject> unknown = new ArrayList<>();
    for (YamlDocument doc : docs) {
      loadObject(doc, doc.tree(), "", resources, problems, unknown);
    }
    return new LoadResult(resources, problems, unknown);
  }

  private void loadObject(YamlDocument doc, JsonNode node, String prefix, List<Resource> resources,
      List<LoadProblem> problems, List<UnknownObject> unknown) {
    Origin origin = prefix.isEmpty() ? doc.origin() : doc.originOf(prefix.substring(0, prefix.length() - 1));
    if (!node.isObject()) {
      problems.add(new LoadProblem(origin, "", "", "", "expected a Kubernetes object (a map with apiVersion and kind),"
          + " found " + describe(node)));
      return;
    }
    String apiVersion = text(node, "apiVersion");
    String kind = text(node, "kind");
    if (kind.equals("List") && node.path("items").isArray()) {
      JsonNode items = node.get("items");
      for (int i = 0; i < items.size(); i++) {
        loadObject(doc, items.get(i), prefix + "items[" + i + "].", resources, problems, unknown);
      }
      return;
    }
    ObjectMeta meta = meta(node.path("metadata"));
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      problems.add(new LoadProblem(origin, kind, meta.namespace(), meta.name(),
          (apiVersion.isEmpty() ? "apiVersion" : "kind") + " is required (expected a Kubernetes object)"));
      return;
    }
    Optional<ResourceKind> found = ResourceKind.find(apiVersion, kind);
    if (found.isEmpty()) {
      Optional<ResourceKind> other = ResourceKind.findAnyVersion(apiVersion, kind);
      if (other.isPresent()) {
        problems.add(new LoadProblem(origin, kind, meta.namespace(), meta.name(), "no matches for kind \"" + kind
            + "\" in version \"" + apiVersion + "\" (served versions: " + String.join(", ", other.get().versions())
            + ")"));
      } else {
        unknown.add(new UnknownObject(apiVersion, kind, meta, origin));
      }
      return;
    }
    ResourceKind rk = found.get();
    if (meta.name().isEmpty()) {
      problems.add(new LoadProblem(origin, kind, meta.namespace(), "", "metadata.name: Required value"));
      return;
    }
    if (rk.isIstio()) {
      for (String field : (Iterable<String>) node::fieldNames) {
        if (!TOP_LEVEL.contains(field)) {
          problems.add(new LoadProblem(doc.originOf(prefix + field), kind, meta.namespace(), meta.name(),
              "unknown field \"" + field + "\""));
          return;
        }
      }
    }
    if (rk.isIstio()) {
      String nullEntry = firstNullListEntry(node.path("spec"), "spec");
      if (nullEntry != null) {
        problems.add(new LoadProblem(doc.originOf(prefix + nullEntry.substring(0, nullEntry.indexOf(' '))), kind,
            meta.namespace(), meta.name(), nullEntry));
        return;
      }
    }
    try {
      Spec spec = decode(rk, (ObjectNode) node);
      resources.add(new Resource(rk, apiVersion, meta, spec, origin, node, doc, prefix));
    } catch (JsonMappingException e) {
      Origin at = doc.originOf(prefix + path(e, rk));
      problems.add(new LoadProblem(at, kind, meta.namespace(), meta.name(), explain(e, rk, node)));
    }
  }

  private static Spec decode(ResourceKind kind, ObjectNode node) throws JsonMappingException {
    JsonNode body;
    if (kind.isIstio()) {
      body = node.path("spec");
      if (body.isMissingNode() || body.isNull()) {
        body = MAPPER.createObjectNode();
      }
    } else {
      body = node;
    }
    try {
      return MAPPER.treeToValue(body, kind.specClass());
    } catch (JsonMappingException e) {
      throw e;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw JsonMappingException.from((com.fasterxml.jackson.core.JsonParser) null, e.getOriginalMessage(), e);
    }
  }

  /**
   * The first {@code null} entry of a list ({@code - } with nothing after it), as the CRD schema
   * words it: {@code spec.jwtRules[0] in body must be of type object}; null when there is none.
   * Found before binding so that the message names the entry rather than its parent.
   */
  private static @Nullable String firstNullListEntry(JsonNode node, String path) {
    if (node.isArray()) {
      String type = "object";
      for (JsonNode item : node) {
        if (!item.isNull()) {
          type = item.isObject() ? "object" : item.isArray() ? "array" : item.isNumber() ? "number" : "string";
          break;
        }
      }
      for (int i = 0; i < node.size(); i++) {
        String at = path + "[" + i + "]";
        if (node.get(i).isNull()) {
          return at + " in body must be of type " + type;
        }
        String inner = firstNullListEntry(node.get(i), at);
        if (inner != null) {
          return inner;
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String inner = firstNullListEntry(e.getValue(), path + "." + e.getKey());
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }

  private static final java.util.Set<String> TOP_LEVEL = java.util.Set.of("apiVersion", "kind", "metadata", "spec",
      "status");

  /** The dotted path of the field a mapping error is about, as written in the YAML. */
  private static String path(JsonMappingException e, ResourceKind kind) {
    StringBuilder sb = new StringBuilder(kind.isIstio() ? "spec" : "");
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String explain(JsonMappingException e, ResourceKind kind, JsonNode object) {
    String path = path(e, kind);
    JsonNode value = object.at(pointer(path));
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field \"" + path + "\"";
    }
    if (e instanceof InvalidFormatException f) {
      return path + ": Invalid value: " + quote(f.getValue()) + ": expected " + typeName(f.getTargetType());
    }
    if (e instanceof ValueInstantiationException v) {
      Throwable cause = v.getCause() == null ? v : v.getCause();
      return path + ": Invalid value: " + cause.getMessage();
    }
    if (e instanceof MismatchedInputException m) {
      String msg = m.getOriginalMessage();
      if (msg != null && msg.startsWith("unknown field")) {
        return path + ": " + msg;
      }
      if (msg != null && msg.contains("only one of")) {
        return path + ": Invalid value: only one of exact, prefix or regex may be set";
      }
      String shown = value.isMissingNode() ? "" : (value.isTextual() ? "\"" + value.asText() + "\"" : value.toString())
          + ": ";
      return path + ": Invalid value: " + shown + "expected " + typeName(m.getTargetType());
    }
    return path + ": " + e.getOriginalMessage();
  }

  /** {@code spec.http[0].route} as a JSON pointer {@code /spec/http/0/route}. */
  private static String pointer(String path) {
    if (path.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (String part : path.replace("[", ".").replace("]", "").split("\\.")) {
      sb.append('/').append(part.replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "a different type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "integer";
    }
    if (type == Double.class || type == double.class) {
      return "number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean";
    }
    if (type == String.class) {
      return "string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "array";
    }
    return "object";
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  static ObjectMeta meta(JsonNode m) {
    if (m == null || !m.isObject()) {
      return ObjectMeta.of("", "");
    }
    return new ObjectMeta(text(m, "name"), text(m, "namespace"), strings(m.path("labels")),
        strings(m.path("annotations")));
  }

  private static Map<String, String> strings(JsonNode node) {
    if (!node.isObject()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
    }
    return out;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !(v instanceof NullNode) ? v.asText() : "";
  }
}
