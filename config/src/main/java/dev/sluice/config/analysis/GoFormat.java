package dev.sluice.config.analysis;

import dev.sluice.config.GoStrings;
import java.util.Collection;

/**
 * The subset of Go's {@code fmt.Sprintf} that Istio's message templates use: {@code %s}, {@code %v},
 * {@code %q}, {@code %d} and {@code %%}. Collections print as Go slices ({@code [a b]}, and
 * {@code ["a" "b"]} with {@code %q}); a missing argument prints as {@code %!v(MISSING)}.
 */
final class GoFormat {
  private GoFormat() {}

  static String sprintf(String template, Object... args) {
    StringBuilder out = new StringBuilder(template.length() + 32);
    int arg = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '%' || i + 1 >= template.length()) {
        out.append(c);
        continue;
      }
      char verb = template.charAt(++i);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (arg >= args.length) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      out.append(value(verb, args[arg++]));
    }
    return out.toString();
  }

  private static String value(char verb, Object v) {
    if (v instanceof Collection<?> list) {
      StringBuilder sb = new StringBuilder("[");
      for (Object o : list) {
        if (sb.length() > 1) {
          sb.append(' ');
        }
        sb.append(value(verb, o));
      }
      return sb.append(']').toString();
    }
    if (verb == 'q') {
      return GoStrings.quote(String.valueOf(v));
    }
    return String.valueOf(v);
  }

}
