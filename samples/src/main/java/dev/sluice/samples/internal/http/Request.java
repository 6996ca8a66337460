package dev.sluice.samples.internal.http;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An inbound HTTP request as the samples see it: immutable, headers with lower-case names.
 *
 * @param method the method, e.g. {@code GET}
 * @param path the raw path, e.g. {@code /reviews/0}
 * @param rawQuery the raw query without {@code ?}, empty when none
 * @param headers lower-case name → values, in arrival order
 * @param body the request body
 * @param remote the client's address
 * @param protocol e.g. {@code HTTP/1.1}
 */
public record Request(
    String method,
    String path,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body,
    InetSocketAddress remote,
    String protocol) {

  /** Validates and copies; header names are lower-cased. */
  public Request {
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(rawQuery, "rawQuery");
    Map<String, List<String>> lower = new LinkedHashMap<>();
    requireNonNull(headers, "headers").forEach((name, values) -> lower
        .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
        .addAll(values));
    lower.replaceAll((k, v) -> List.copyOf(v));
    headers = java.util.Collections.unmodifiableMap(lower);
    requireNonNull(body, "body");
    requireNonNull(remote, "remote");
    requireNonNull(protocol, "protocol");
  }

  /** A GET request for tests and in-process calls. */
  public static Request get(String pathAndQuery, Map<String, List<String>> headers) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    return new Request("GET", path, query, headers, new byte[0],
        new InetSocketAddress("127.0.0.1", 40000), "HTTP/1.1");
  }

  /** The first value of a header (case-insensitive), or null. */
  public @Nullable String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  /** The path and query as sent, e.g. {@code /get?a=1}. */
  public String uri() {
    return rawQuery.isEmpty() ? path : path + "?" + rawQuery;
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The query parameters (decoded), name → values in order. */
  public Map<String, List<String>> queryParams() {
    return parseForm(rawQuery);
  }

  /** Parses {@code application/x-www-form-urlencoded} text into name → values. */
  public static Map<String, List<String>> parseForm(String encoded) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (encoded.isEmpty()) {
      return params;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
