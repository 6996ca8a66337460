package dev.sluice.proxy.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP/1.1 request target (RFC 9112 §3.2). An absolute-form target ({@code GET
 * http://host:port/path HTTP/1.1}, what a client sends through {@code HTTP_PROXY}) is turned into
 * origin-form as Envoy's codec does with {@code allow_absolute_url}: the URI's authority replaces
 * the {@code Host} header (RFC 9112 §3.2.2: the recipient ignores the Host header then) and the
 * path and query become the target, so the request is routed by that authority and forwarded
 * upstream in origin-form.
 */
final class RequestTarget {
  private RequestTarget() {}

  /** An absolute-form target split into its parts. */
  record Absolute(String scheme, String authority, String pathAndQuery) {}

  /**
   * Rewrites an absolute-form {@code request} in place (HTTP/1 only). Returns null when the
   * target is fine (origin-form, asterisk-form, or converted), else Envoy's response code detail
   * for the 400 to send.
   */
  static @Nullable String normalize(HttpRequest request, boolean allowAbsolute) {
    String uri = request.uri();
    if (uri.isEmpty() || uri.charAt(0) == '/' || uri.equals("*")) {
      return null;
    }
    if (!allowAbsolute) {
      return "http1.absolute_path_rejected";
    }
    Absolute a = parse(uri);
    if (a == null) {
      return "http1.invalid_url";
    }
    request.setUri(a.pathAndQuery());
    request.headers().set(HttpHeaderNames.HOST, a.authority());
    return null;
  }

  /**
   * Parses {@code http://[userinfo@]host[:port][/path][?query][#fragment]} (scheme {@code http}
   * or {@code https}, any case). The fragment and userinfo are dropped; an empty path is {@code
   * /}. Null when {@code uri} is not such a URI.
   */
  static @Nullable Absolute parse(String uri) {
    int colon = uri.indexOf("://");
    if (colon <= 0) {
      return null;
    }
    String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return null;
    }
    int start = colon + 3;
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    String authority = uri.substring(start, end);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    if (!validAuthority(authority)) {
      return null;
    }
    String rest = uri.substring(end);
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    if (rest.isEmpty() || rest.charAt(0) == '?') {
      rest = "/" + rest;
    }
    return new Absolute(scheme, authority, rest);
  }

  /** {@code host[:port]} with a non-empty reg-name, IPv4 or bracketed IPv6 host and a decimal port. */
  private static boolean validAuthority(String a) {
    if (a.isEmpty()) {
      return false;
    }
    int portStart;
    if (a.charAt(0) == '[') {
      int close = a.indexOf(']');
      if (close < 2) {
        return false;
      }
      portStart = close + 1;
      if (portStart < a.length() && a.charAt(portStart) != ':') {
        return false;
      }
    } else {
      int c = a.indexOf(':');
      portStart = c < 0 ? a.length() : c;
      if (portStart == 0) {
        return false;
      }
      for (int i = 0; i < portStart; i++) {
        char ch = a.charAt(i);
        if (!(Character.isLetterOrDigit(ch) && ch < 128 || "-._~!$&'()*+,;=%".indexOf(ch) >= 0)) {
          return false;
        }
      }
    }
    if (portStart < a.length()) {
      String port = a.substring(portStart + 1);
      if (port.isEmpty() || port.length() > 5) {
        return false;
      }
      for (int i = 0; i < port.length(); i++) {
        if (port.charAt(i) < '0' || port.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(port) > 65535) {
        return false;
      }
    }
    return true;
  }
}
