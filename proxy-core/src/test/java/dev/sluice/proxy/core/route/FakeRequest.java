package dev.sluice.proxy.core.route;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A request for matcher tests. */
public record FakeRequest(String authority, String path, String method, Map<String, String> headers, String sourceIp)
    implements RequestView {

  public static FakeRequest of(String authority, String path, String... headerPairs) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      h.put(headerPairs[i].toLowerCase(Locale.ROOT), headerPairs[i + 1]);
    }
    return new FakeRequest(authority, path, "GET", h, "10.0.0.1");
  }

  @Override
  public @Nullable String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }
}
