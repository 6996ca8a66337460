package dev.sluice.samples.internal.http;

/** HTML escaping as Jinja2/MarkupSafe and Python's {@code html.escape} do it. */
public final class Html {

  private Html() {}

  /** Escapes {@code & < > " '} ({@code '} as {@code &#39;}, MarkupSafe's choice). */
  public static String escape(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&#34;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (rep != null) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(rep);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** Python's {@code html.escape(s, quote=True)}: like {@link #escape} but {@code "} → {@code &quot;}, {@code '} → {@code &#x27;}. */
  public static String pythonEscape(String s) {
    return escape(s).replace("&#34;", "&quot;").replace("&#39;", "&#x27;");
  }
}
