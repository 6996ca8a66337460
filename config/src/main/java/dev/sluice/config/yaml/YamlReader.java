package dev.sluice.config.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.sluice.config.Origin;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a multi-document YAML stream into {@link YamlDocument}s, remembering the line of every
 * field, within {@link YamlLimits}.
 *
 * <p>The tree is built from the token stream rather than by Jackson's own tree reader so that
 * (1) each field's line is kept for messages, (2) aliases are expanded here, under a node budget
 * that refuses alias bombs early, and (3) YAML merge keys ({@code <<: *base}) work as they do in
 * Kubernetes.
 */
public final class YamlReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final YamlLimits limits;
  private final YAMLFactory factory;

  public YamlReader() {
    this(YamlLimits.DEFAULT);
  }

  public YamlReader(YamlLimits limits) {
    this.limits = limits;
    LoaderOptions loader = new LoaderOptions();
    loader.setCodePointLimit(limits.maxDocumentChars());
    // Our own depth check runs first and says more; this one is a backstop.
    loader.setNestingDepthLimit(limits.maxDepth() + 16);
    this.factory = YAMLFactory.builder()
        .loaderOptions(loader)
        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxDepth() + 16)
            .maxStringLength(limits.maxDocumentChars())
            .build())
        .build();
  }

  /** Reads every document of {@code input}; {@code file} names the input in messages. */
  public List<YamlDocument> read(String file, Reader input) throws YamlException {
    List<YamlDocument> docs = new ArrayList<>();
    BoundedReader bounded = new BoundedReader(input, limits.maxStreamChars());
    try (JsonParser parser = factory.createParser(bounded)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        int line = parser.currentTokenLocation().getLineNr();
        DocumentBuilder builder = new DocumentBuilder(file, (YAMLParser) parser);
        JsonNode tree = builder.value(token, "", 0);
        if (!tree.isNull() && !(tree.isTextual() && tree.asText().isEmpty())) {
          docs.add(new YamlDocument(tree, new Origin(file, Math.max(line, 1)), docs.size(), builder.lines));
        }
      }
    } catch (IOException e) {
      if (bounded.exceeded) {
        throw new YamlException(new Origin(file, 0), "input is larger than "
            + limits.maxStreamChars() + " characters; refusing to read it");
      }
      if (!(e instanceof JsonProcessingException)) {
        throw new YamlException(new Origin(file, 0), "cannot read: " + e.getMessage());
      }
      rethrow((JsonProcessingException) e, file);
    }
    return List.copyOf(docs);
  }

  private void rethrow(JsonProcessingException e, String file) throws YamlException {
    int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
    throw new YamlException(new Origin(file, line), describe(e));
  }

  private String describe(JsonProcessingException e) {
    String msg = e.getOriginalMessage();
    if (msg == null) {
      msg = e.getClass().getSimpleName();
    }
    if (msg.contains("exceeds the limit") || msg.contains("code points")) {
      return "document is larger than " + limits.maxDocumentChars() + " characters; refusing to read it";
    }
    if (msg.contains("Nesting Depth") || msg.contains("nesting depth")) {
      return "YAML nested deeper than " + limits.maxDepth() + " levels; refusing to read it";
    }
    int nl = msg.indexOf('\n');
    return "invalid YAML: " + (nl > 0 ? msg.substring(0, nl) : msg).trim();
  }

  /** Builds one document's tree; holds its anchors, field lines and alias budget. */
  private final class DocumentBuilder {
    private final String file;
    private final YAMLParser parser;
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private final Map<JsonNode, Integer> sizes = new IdentityHashMap<>();
    final Map<String, Integer> lines = new HashMap<>();
    private long aliasNodes;

    DocumentBuilder(String file, YAMLParser parser) {
      this.file = file;
      this.parser = parser;
    }

    JsonNode value(JsonToken token, String path, int depth) throws IOException, YamlException {
      if (depth > limits.maxDepth()) {
        throw new YamlException(here(), "YAML nested deeper than " + limits.maxDepth()
            + " levels at " + (path.isEmpty() ? "the top" : path) + "; refusing to read it");
      }
      String anchor = parser.getObjectId() instanceof String s ? s : null;
      JsonNode node = switch (token) {
        case START_OBJECT -> object(path, depth);
        case START_ARRAY -> array(path, depth);
        case VALUE_STRING -> parser.isCurrentAlias() ? alias(parser.getText()) : NODES.textNode(parser.getText());
        case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
        case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
        case VALUE_TRUE -> NODES.booleanNode(true);
        case VALUE_FALSE -> NODES.booleanNode(false);
        case VALUE_NULL -> NODES.nullNode();
        default -> throw new YamlException(here(), "unexpected YAML token " + token);
      };
      if (anchor != null) {
        anchors.put(anchor, node);
      }
      return node;
    }

    private JsonNode object(String path, int depth) throws IOException, YamlException {
      ObjectNode obj = NODES.objectNode();
      List<JsonNode> merges = new ArrayList<>();
      int size = 1;
      JsonToken t;
      while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        // The end of a key is on the key's own line (its start may be reported at the parent's line).
        int line = parser.currentLocation().getLineNr();
        String child = path.isEmpty() ? name : path + "." + name;
        JsonNode value = value(parser.nextToken(), child, depth + 1);
        if (name.equals("<<")) {
          merges.add(value);
          continue;
        }
        if (obj.has(name)) {
          throw new YamlException(new Origin(file, line), "duplicate key \"" + name + "\""
              + (path.isEmpty() ? "" : " in " + path));
        }
        lines.putIfAbsent(child, line);
        obj.set(name, value);
        size += sizeOf(value);
      }
      if (t != JsonToken.END_OBJECT) {
        throw new YamlException(here(), "unexpected YAML token " + t);
      }
      for (JsonNode merge : merges) {
        for (JsonNode source : merge.isArray() ? merge : List.of(merge)) {
          if (!source.isObject()) {
            throw new YamlException(here(), "merge key \"<<\" at " + path + " must refer to a map");
          }
          for (Map.Entry<String, JsonNode> e : source.properties()) {
            if (!obj.has(e.getKey())) {
              obj.set(e.getKey(), e.getValue());
              size += sizeOf(e.getValue());
            }
          }
        }
      }
      sizes.put(obj, size);
      return obj;
    }

    private JsonNode array(String path, int depth) throws IOException, YamlException {
      ArrayNode arr = NODES.arrayNode();
      int size = 1;
      JsonToken t;
      while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new YamlException(here(), "unexpected end of YAML in " + path);
        }
        String child = path + "[" + arr.size() + "]";
        lines.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
        JsonNode value = value(t, child, depth + 1);
        arr.add(value);
        size += sizeOf(value);
      }
      sizes.put(arr, size);
      return arr;
    }

    private JsonNode alias(String name) throws YamlException {
      JsonNode target = anchors.get(name);
      if (target == null) {
        throw new YamlException(here(), "unknown YAML alias *" + name);
      }
      aliasNodes += sizeOf(target);
      if (aliasNodes > limits.maxAliasNodes()) {
        throw new YamlException(here(), "YAML aliases expand to more than " + limits.maxAliasNodes()
            + " nodes (an alias bomb?); refusing to read it");
      }
      return target;
    }

    private int sizeOf(JsonNode node) {
      Integer s = sizes.get(node);
      return s == null ? 1 : s;
    }

    private Origin here() {
      return new Origin(file, Math.max(0, parser.currentLocation().getLineNr()));
    }
  }

  /** A reader that fails once more than {@code max} characters have been read. */
  private static final class BoundedReader extends Reader {
    private final Reader in;
    private final long max;
    private long count;
    boolean exceeded;

    BoundedReader(Reader in, long max) {
      this.in = in;
      this.max = max;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0 && (count += n) > max) {
        exceeded = true;
        throw new StreamTooLargeException();
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static final class StreamTooLargeException extends IOException {
    StreamTooLargeException() {
      super("stream too large", null);
    }
  }

}
