package dev.sluice.config.validation;

import org.jspecify.annotations.Nullable;

/**
 * Envoy's custom header value syntax: literal text where {@code %} starts a variable such as
 * {@code %HOSTNAME%} or {@code %REQ(x-foo)%}, {@code %%} is a literal percent sign, and arguments
 * may be a JSON string array ({@code %VAR(["a","b"])%}). Only the shape is checked.
 */
final class HeaderValueSyntax {
  private HeaderValueSyntax() {}

  private enum State { LITERAL, NAME, EXPECT_ARRAY, EXPECT_STRING, STRING, EXPECT_DELIMITER, EXPECT_ARGS_END, EXPECT_END }

  /** Envoy's complaint about {@code value}, or null when it parses. */
  static @Nullable String check(String value) {
    State state = State.LITERAL;
    int pos = 0;
    while (pos < value.length()) {
      char ch = value.charAt(pos);
      boolean hasNext = pos + 1 < value.length();
      switch (state) {
        case LITERAL -> {
          if (ch == '%') {
            if (!hasNext) {
              return "invalid header configuration. Un-escaped %";
            }
            if (value.charAt(pos + 1) == '%') {
              pos++;
            } else {
              state = State.NAME;
            }
          }
        }
        case NAME -> {
          if (ch == '%') {
            state = State.LITERAL;
          } else if (ch == '(') {
            state = State.EXPECT_ARRAY;
          }
        }
        case EXPECT_ARRAY -> {
          if (ch == '[') {
            state = State.EXPECT_STRING;
          } else if (ch != ' ') {
            state = State.STRING;
          }
        }
        case EXPECT_DELIMITER -> {
          if (ch == ',') {
            state = State.EXPECT_STRING;
          } else if (ch == ']') {
            state = State.EXPECT_ARGS_END;
          } else if (ch != ' ') {
            return "invalid header configuration. Expecting ',', ']', or whitespace";
          }
        }
        case EXPECT_STRING -> {
          if (ch == '"') {
            state = State.STRING;
          } else if (ch != ' ') {
            return "invalid header configuration. Expecting '\"'";
          }
        }
        case STRING -> {
          if (ch == '\\') {
            if (!hasNext) {
              return "invalid header configuration. Un-terminated backslash in JSON string";
            }
            pos++;
          } else if (ch == ')') {
            state = State.EXPECT_END;
          } else if (ch == '"') {
            state = State.EXPECT_DELIMITER;
          }
        }
        case EXPECT_ARGS_END -> {
          if (ch == ')') {
            state = State.EXPECT_END;
          } else if (ch != ' ') {
            return "invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'";
          }
        }
        case EXPECT_END -> {
          if (ch == '%') {
            state = State.LITERAL;
          } else if (ch != ' ') {
            return "invalid header configuration. Expecting '%' or whitespace after";
          }
        }
      }
      pos++;
    }
    return state == State.LITERAL ? null
        : "invalid header configuration. Un-terminated variable expression '" + value + "'";
  }
}
