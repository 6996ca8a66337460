package dev.sluice.samples.internal.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Selects the proxy for an outbound URI from an app's environment, as curl and most HTTP
 * libraries do: {@code http_proxy} (then {@code HTTP_PROXY}) for {@code http} URIs, except hosts
 * listed in {@code no_proxy}/{@code NO_PROXY} (exact names, {@code .suffix} or {@code suffix}
 * domain matches, {@code *} for all). On the local platform the proxy is the pod's sidecar.
 *
 * <p>The proxy address is kept unresolved-by-name only when it is not a literal; the target host
 * is never resolved here, so service names such as {@code reviews} need no DNS.
 */
public final class EnvProxySelector extends ProxySelector {

  private final @Nullable InetSocketAddress proxy;
  private final List<String> noProxy;

  private EnvProxySelector(@Nullable InetSocketAddress proxy, List<String> noProxy) {
    this.proxy = proxy;
    this.noProxy = noProxy;
  }

  /** The selector for {@code env}; without a proxy variable every URI goes direct. */
  public static EnvProxySelector fromEnv(Map<String, String> env) {
    String url = firstNonBlank(env.get("http_proxy"), env.get("HTTP_PROXY"));
    String exceptions = firstNonBlank(env.get("no_proxy"), env.get("NO_PROXY"));
    List<String> noProxy = exceptions == null ? List.of()
        : java.util.Arrays.stream(exceptions.split(","))
            .map(s -> s.trim().toLowerCase(Locale.ROOT))
            .filter(s -> !s.isEmpty())
            .toList();
    return new EnvProxySelector(url == null ? null : parse(url), noProxy);
  }

  /** The proxy address, or null when the environment names none. */
  public @Nullable InetSocketAddress proxy() {
    return proxy;
  }

  @Override
  public List<Proxy> select(URI uri) {
    if (proxy == null || !"http".equalsIgnoreCase(uri.getScheme()) || bypass(uri.getHost())) {
      return List.of(Proxy.NO_PROXY);
    }
    return List.of(new Proxy(Proxy.Type.HTTP, proxy));
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    // Nothing to remember: there is exactly one proxy, the sidecar.
  }

  private boolean bypass(@Nullable String host) {
    if (host == null) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    for (String rule : noProxy) {
      if (rule.equals("*") || h.equals(rule)) {
        return true;
      }
      String suffix = rule.startsWith(".") ? rule : "." + rule;
      if (h.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  private static InetSocketAddress parse(String url) {
    URI uri = URI.create(url.contains("://") ? url : "http://" + url);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("http_proxy: " + url + " (expected: http://host:port)");
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    return new InetSocketAddress(uri.getHost(), port);
  }

  private static @Nullable String firstNonBlank(@Nullable String a, @Nullable String b) {
    if (a != null && !a.isBlank()) {
      return a.trim();
    }
    return b != null && !b.isBlank() ? b.trim() : null;
  }
}
