package dev.sluice.samples.internal.bookinfo;

import dev.sluice.samples.internal.http.Html;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A minimal logic-less template (a Mustache subset) that never touches the whitespace around its
 * tags, so that a page translated tag-for-tag from a Jinja2 template (whose defaults keep that
 * whitespace too) renders byte-identically.
 *
 * <ul>
 *   <li>{@code {{a.b}}}: the value, HTML-escaped as Jinja2's autoescape does;
 *       {@code {{{a.b}}}}: unescaped;
 *   <li>{@code {{#a}}…{{/a}}}: once if {@code a} is truthy (a map is pushed as the context), once
 *       per element if {@code a} is a list; {@code {{^a}}…{{/a}}}: once if {@code a} is falsy.
 * </ul>
 * Names resolve against the innermost context first, as in Mustache; a missing value renders
 * empty, as Jinja2's {@code Undefined} does.
 */
final class PageTemplate {

  private sealed interface Node permits Text, Var, Section {}

  private record Text(String text) implements Node {}

  private record Var(String name, boolean escape) implements Node {}

  private record Section(String name, boolean inverted, List<Node> body) implements Node {}

  private final List<Node> nodes;

  private PageTemplate(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** Loads a template resource next to this class. */
  static PageTemplate resource(String name) {
    try (InputStream in = PageTemplate.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("template resource missing: " + name);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses template text. */
  static PageTemplate parse(String text) {
    Deque<List<Node>> stack = new ArrayDeque<>();
    Deque<String> open = new ArrayDeque<>();
    Deque<Boolean> inverted = new ArrayDeque<>();
    stack.push(new ArrayList<>());
    int pos = 0;
    while (pos < text.length()) {
      int start = text.indexOf("{{", pos);
      if (start < 0) {
        stack.peek().add(new Text(text.substring(pos)));
        break;
      }
      if (start > pos) {
        stack.peek().add(new Text(text.substring(pos, start)));
      }
      boolean raw = text.startsWith("{{{", start);
      int end = text.indexOf(raw ? "}}}" : "}}", start);
      if (end < 0) {
        throw new IllegalArgumentException("unclosed tag at " + start);
      }
      String tag = text.substring(start + (raw ? 3 : 2), end).trim();
      pos = end + (raw ? 3 : 2);
      if (raw) {
        stack.peek().add(new Var(tag, false));
      } else if (tag.startsWith("#") || tag.startsWith("^")) {
        open.push(tag.substring(1));
        inverted.push(tag.startsWith("^"));
        stack.push(new ArrayList<>());
      } else if (tag.startsWith("/")) {
        String name = tag.substring(1);
        if (open.isEmpty() || !open.peek().equals(name)) {
          throw new IllegalArgumentException("unexpected {{/" + name + "}} (open: " + open.peek() + ")");
        }
        List<Node> body = stack.pop();
        stack.peek().add(new Section(open.pop(), inverted.pop(), List.copyOf(body)));
      } else {
        stack.peek().add(new Var(tag, true));
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalArgumentException("unclosed section {{#" + open.peek() + "}}");
    }
    return new PageTemplate(List.copyOf(stack.pop()));
  }

  /** Renders with {@code model} as the outermost context. */
  String render(Map<String, ?> model) {
    StringBuilder out = new StringBuilder(16 * 1024);
    Deque<Object> contexts = new ArrayDeque<>();
    contexts.push(model);
    render(nodes, contexts, out);
    return out.toString();
  }

  private static void render(List<Node> nodes, Deque<Object> contexts, StringBuilder out) {
    for (Node node : nodes) {
      switch (node) {
        case Text t -> out.append(t.text);
        case Var v -> {
          Object value = lookup(contexts, v.name);
          String s = value == null ? "" : str(value);
          out.append(v.escape ? Html.escape(s) : s);
        }
        case Section s -> {
          Object value = lookup(contexts, s.name);
          if (s.inverted) {
            if (!truthy(value)) {
              render(s.body, contexts, out);
            }
          } else if (value instanceof List<?> list) {
            for (Object item : list) {
              contexts.push(item);
              render(s.body, contexts, out);
              contexts.pop();
            }
          } else if (truthy(value)) {
            boolean push = value instanceof Map<?, ?>;
            if (push) {
              contexts.push(value);
            }
            render(s.body, contexts, out);
            if (push) {
              contexts.pop();
            }
          }
        }
      }
    }
  }

  private static @Nullable Object lookup(Deque<Object> contexts, String name) {
    String[] parts = name.split("\\.");
    for (Object context : contexts) {
      if (context instanceof Map<?, ?> map && map.containsKey(parts[0])) {
        Object value = map.get(parts[0]);
        for (int i = 1; i < parts.length && value != null; i++) {
          value = value instanceof Map<?, ?> m ? m.get(parts[i]) : null;
        }
        return value;
      }
    }
    return null;
  }

  static boolean truthy(@Nullable Object value) {
    return switch (value) {
      case null -> false;
      case Boolean b -> b;
      case String s -> !s.isEmpty();
      case Number n -> n.doubleValue() != 0;
      case Map<?, ?> m -> !m.isEmpty();
      case List<?> l -> !l.isEmpty();
      default -> true;
    };
  }

  // Jinja2 prints Python's str(): True/False/None, ints as digits.
  private static String str(Object value) {
    return switch (value) {
      case Boolean b -> b ? "True" : "False";
      default -> value.toString();
    };
  }
}
