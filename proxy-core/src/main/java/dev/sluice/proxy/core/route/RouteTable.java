package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A compiled route configuration (Envoy's {@code RouteConfiguration}). Virtual hosts are chosen by
 * the request authority in Envoy's order: exact domain, then the longest {@code *suffix}
 * wildcard, then the longest {@code prefix*} wildcard, then {@code *}. Domains compare
 * case-insensitively and include the port when the authority has one; with {@code
 * ignorePortInHostMatching} the port is stripped first. Within the host the first matching route
 * wins.
 *
 * <p>Immutable; the domain index is built once here so that {@link #select} allocates nothing
 * beyond the path split.
 */
public final class RouteTable {

  private final String name;
  private final List<VirtualHost> virtualHosts;
  private final HeaderMutation requestHeaders;
  private final HeaderMutation responseHeaders;
  private final boolean ignorePortInHostMatching;

  // Precompiled domain index (STYLE §7).
  private final Map<String, VirtualHost> exact;
  private final Wildcard[] suffixes;
  private final Wildcard[] prefixes;
  private final @Nullable VirtualHost fallback;
  private final java.util.IdentityHashMap<VirtualHost, RouteIndex> indexes = new java.util.IdentityHashMap<>();

  private record Wildcard(String part, VirtualHost vhost) {}

  /**
   * Builds a table.
   *
   * @throws IllegalArgumentException when a domain is repeated or malformed
   */
  public RouteTable(
      String name,
      List<VirtualHost> virtualHosts,
      HeaderMutation requestHeaders,
      HeaderMutation responseHeaders,
      boolean ignorePortInHostMatching) {
    this.name = requireNonNull(name, "name");
    this.virtualHosts = List.copyOf(virtualHosts);
    this.requestHeaders = requireNonNull(requestHeaders, "requestHeaders");
    this.responseHeaders = requireNonNull(responseHeaders, "responseHeaders");
    this.ignorePortInHostMatching = ignorePortInHostMatching;
    Map<String, VirtualHost> ex = new HashMap<>();
    List<Wildcard> suf = new ArrayList<>();
    List<Wildcard> pre = new ArrayList<>();
    VirtualHost def = null;
    Set<String> seen = new HashSet<>();
    for (VirtualHost vh : this.virtualHosts) {
      for (String raw : vh.domains()) {
        String d = raw.toLowerCase(Locale.ROOT);
        if (!seen.add(d)) {
          throw new IllegalArgumentException(
              "virtual_hosts[" + vh.name() + "].domains: \"" + raw
                  + "\" (expected: unique across the route configuration)");
        }
        if (d.equals("*")) {
          def = vh;
        } else if (d.startsWith("*")) {
          suf.add(new Wildcard(d.substring(1), vh));
        } else if (d.endsWith("*")) {
          pre.add(new Wildcard(d.substring(0, d.length() - 1), vh));
        } else if (d.indexOf('*') >= 0 || d.isEmpty()) {
          throw new IllegalArgumentException(
              "virtual_hosts[" + vh.name() + "].domains: \"" + raw
                  + "\" (expected: '*' only as the first or last character)");
        } else {
          ex.put(d, vh);
        }
      }
    }
    // Longest wildcard first; stable sort keeps declaration order among equal lengths.
    Comparator<Wildcard> longestFirst = Comparator.comparingInt(w -> -w.part().length());
    suf.sort(longestFirst);
    pre.sort(longestFirst);
    this.exact = Map.copyOf(ex);
    this.suffixes = suf.toArray(new Wildcard[0]);
    this.prefixes = pre.toArray(new Wildcard[0]);
    this.fallback = def;
    for (VirtualHost vh : this.virtualHosts) {
      if (vh.routes().size() > 16) {
        indexes.put(vh, new RouteIndex(vh.routes()));
      }
    }
  }

  /** A table without header changes. */
  public static RouteTable of(String name, List<VirtualHost> virtualHosts) {
    return new RouteTable(name, virtualHosts, HeaderMutation.NONE, HeaderMutation.NONE, false);
  }

  public String name() {
    return name;
  }

  public List<VirtualHost> virtualHosts() {
    return virtualHosts;
  }

  public HeaderMutation requestHeaders() {
    return requestHeaders;
  }

  public HeaderMutation responseHeaders() {
    return responseHeaders;
  }

  public boolean ignorePortInHostMatching() {
    return ignorePortInHostMatching;
  }

  /** The virtual host for {@code authority}, or {@code null} (Envoy: 404 NR). */
  public @Nullable VirtualHost findVirtualHost(String authority) {
    String host = authority.toLowerCase(Locale.ROOT);
    if (ignorePortInHostMatching) {
      host = stripPort(host);
    }
    return findHost(host);
  }

  private @Nullable VirtualHost findHost(String host) {
    VirtualHost vh = exact.get(host);
    if (vh != null) {
      return vh;
    }
    for (Wildcard w : suffixes) {
      // The wildcard stands for at least one character.
      if (host.length() > w.part().length() && host.endsWith(w.part())) {
        return w.vhost();
      }
    }
    for (Wildcard w : prefixes) {
      if (host.length() > w.part().length() && host.startsWith(w.part())) {
        return w.vhost();
      }
    }
    return fallback;
  }

  /** Strips a trailing {@code :port} (IPv6 literals in brackets are kept intact). */
  public static String stripPort(String host) {
    int colon = host.lastIndexOf(':');
    if (colon < 0) {
      return host;
    }
    if (host.indexOf(']') > colon) {
      return host;
    }
    if (host.startsWith("[") || host.indexOf(':') == colon) {
      for (int i = colon + 1; i < host.length(); i++) {
        char c = host.charAt(i);
        if (c < '0' || c > '9') {
          return host;
        }
      }
      return host.substring(0, colon);
    }
    return host; // bare IPv6 without brackets
  }

  /** Routes {@code request}: the virtual host and first matching route, or {@code null}. */
  public @Nullable RouteSelection select(RequestView request) {
    VirtualHost vh = findVirtualHost(request.authority());
    if (vh == null) {
      return null;
    }
    String path = request.path();
    int q = path.indexOf('?');
    int frag = path.indexOf('#');
    int end = q >= 0 ? q : (frag >= 0 ? frag : path.length());
    String pathOnly = end == path.length() ? path : path.substring(0, end);
    String query = "";
    if (q >= 0) {
      int qe = frag > q ? frag : path.length();
      query = path.substring(q + 1, qe);
    }
    RouteIndex index = indexes.get(vh);
    Route r = index != null ? index.select(request, pathOnly, query) : vh.select(request, pathOnly, query);
    return r == null ? null : new RouteSelection(this, vh, r);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteTable t
        && t.name.equals(name)
        && t.virtualHosts.equals(virtualHosts)
        && t.requestHeaders.equals(requestHeaders)
        && t.responseHeaders.equals(responseHeaders)
        && t.ignorePortInHostMatching == ignorePortInHostMatching;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, virtualHosts, requestHeaders, responseHeaders);
  }

  @Override
  public String toString() {
    return "RouteTable[" + name + ", " + virtualHosts.size() + " virtual hosts]";
  }
}
