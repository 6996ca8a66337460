package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import static dev.sluice.config.GoStrings.quote;

import dev.sluice.config.istio.StringMatch;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.config.istio.VirtualService.HttpMatchRequest;
import dev.sluice.config.istio.VirtualService.HttpRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Rules of a VirtualService that can never match (IST0130) and match blocks that an earlier one
 * already covers (IST0131): a rule after a catch-all rule, an identical match repeated, and a URI
 * prefix match shadowed by a shorter prefix with the same other conditions.
 */
final class UnreachableRules {
  private UnreachableRules() {}

  static final String UNREACHABLE = "IST0130";
  static final String INEFFECTIVE = "IST0131";

  static void analyze(VirtualService vs, Issues out) {
    List<HttpRoute> http = vs.http();
    List<Prefixed> prefixed = new ArrayList<>();
    scan("spec.http", http.size(), i -> http.get(i).match().stream().map(UnreachableRules::httpKey).toList(),
        i -> routeName(http.get(i).name(), i), (i, j) -> matchName(http.get(i).match().get(j).name(), j), out,
        (i, j) -> {
          Prefixed p = prefixed(http.get(i), http.get(i).match().get(j), i, j);
          if (p != null) {
            prefixed.add(p);
          }
        });
    for (int a = 0; a < prefixed.size(); a++) {
      for (int b = a + 1; b < prefixed.size(); b++) {
        Prefixed pa = prefixed.get(a);
        Prefixed pb = prefixed.get(b);
        if (pb.prefix.equals(pa.prefix)) {
          continue;
        }
        if (covers(pa, pb)) {
          ineffective(out, "spec.http[" + pb.rule + "]", pb.routeName,
              pb.matchName + " of prefix " + pb.prefix, pa.matchName + " of prefix " + pa.prefix + " on " + pa.routeName);
        }
      }
    }
    scan("spec.tcp", vs.tcp().size(), i -> vs.tcp().get(i).match().stream().map(m -> (Object) new L4Key(
            m.destinationSubnets(), m.portOrZero(), m.sourceLabels(), m.gateways(), Primitives.orEmpty(m.sourceNamespace()),
            Primitives.orEmpty(m.sourceSubnet()))).toList(),
        i -> "#" + i, (i, j) -> "#" + j, out, (i, j) -> { });
    scan("spec.tls", vs.tls().size(), i -> vs.tls().get(i).match().stream().map(m -> (Object) new TlsKey(
            m.sniHosts(), m.destinationSubnets(), m.portOrZero(), m.sourceLabels(), m.gateways(),
            Primitives.orEmpty(m.sourceNamespace()))).toList(),
        i -> "#" + i, (i, j) -> "#" + j, out, (i, j) -> { });
  }

  private interface MatchName {
    String of(int rule, int match);
  }

  private interface FirstSeen {
    void accept(int rule, int match);
  }

  /** The checks shared by HTTP, TCP and TLS routes: catch-all rules and repeated matches. */
  private static void scan(String listPath, int rules, IntFunction<List<Object>> keys, IntFunction<String> routeName,
      MatchName matchName, Issues out, FirstSeen firstSeen) {
    Map<Object, Integer> seen = new HashMap<>();
    int catchAll = -1;
    for (int i = 0; i < rules; i++) {
      String path = listPath + "[" + i + "]";
      List<Object> matchKeys = keys.apply(i);
      if (matchKeys.isEmpty()) {
        if (catchAll >= 0) {
          unreachable(out, path, routeName.apply(i), "only the last rule can have no matches");
        }
        catchAll = i;
        continue;
      }
      int duplicates = 0;
      for (int j = 0; j < matchKeys.size(); j++) {
        if (catchAll >= 0) {
          unreachable(out, path, routeName.apply(i), "route without matches defined before");
          continue;
        }
        Integer dup = seen.get(matchKeys.get(j));
        if (dup != null) {
          ineffective(out, path, routeName.apply(i), matchName.of(i, j), routeName.apply(dup));
          duplicates++;
          continue;
        }
        seen.put(matchKeys.get(j), i);
        firstSeen.accept(i, j);
      }
      if (duplicates == matchKeys.size()) {
        unreachable(out, path, routeName.apply(i), "all matches used by prior rules");
      }
    }
  }

  private static void unreachable(Issues out, String path, String rule, String reason) {
    out.add(new Issue(Level.WARNING, "VirtualService rule " + rule + " not used (" + reason + ").", path, UNREACHABLE));
  }

  private static void ineffective(Issues out, String path, String rule, String match, String dup) {
    out.add(new Issue(Level.INFO, "VirtualService rule " + rule + " match " + match
        + " is not used (duplicate/overlapping match in rule " + dup + ").", path, INEFFECTIVE));
  }

  private static String routeName(@Nullable String name, int index) {
    return name == null || name.isEmpty() ? "#" + index : quote(name);
  }

  private static String matchName(@Nullable String name, int index) {
    return routeName(name, index);
  }

  /** What an HTTP match block matches, without its name; unset and empty values are the same. */
  private static Object httpKey(HttpMatchRequest m) {
    return new HttpKey(m.uri(), m.scheme(), m.method(), m.authority(), nonNull(m.headers()), m.portOrZero(),
        m.sourceLabels(), m.gateways(), nonNull(m.queryParams()), Boolean.TRUE.equals(m.ignoreUriCase()),
        nonNull(m.withoutHeaders()), Primitives.orEmpty(m.sourceNamespace()), Primitives.orEmpty(m.statPrefix()));
  }

  private static Map<String, @Nullable StringMatch> nonNull(@Nullable Map<String, @Nullable StringMatch> m) {
    return m == null ? Map.of() : m;
  }

  private record HttpKey(@Nullable StringMatch uri, @Nullable StringMatch scheme, @Nullable StringMatch method,
      @Nullable StringMatch authority, Map<String, @Nullable StringMatch> headers, int port,
      Map<String, String> sourceLabels, List<String> gateways, Map<String, @Nullable StringMatch> queryParams,
      boolean ignoreUriCase, Map<String, @Nullable StringMatch> withoutHeaders, String sourceNamespace,
      String statPrefix) {}

  private record L4Key(List<String> destinationSubnets, int port, Map<String, String> sourceLabels,
      List<String> gateways, String sourceNamespace, String sourceSubnet) {}

  private record TlsKey(List<String> sniHosts, List<String> destinationSubnets, int port,
      Map<String, String> sourceLabels, List<String> gateways, String sourceNamespace) {}

  /** A match block with a non-empty URI prefix, reduced to what the overlap check compares. */
  private record Prefixed(int rule, String routeName, String matchName, String prefix, int port, String method,
      String authority, Map<String, String> headers, Map<String, String> queryParams,
      Map<String, String> withoutHeaders) {}

  private static @Nullable Prefixed prefixed(HttpRoute route, HttpMatchRequest m, int rule, int index) {
    if (!(m.uri() instanceof StringMatch.Prefix p) || p.value().isEmpty()) {
      return null;
    }
    String method = exactOrPrefix(m.method());
    if (method.isEmpty()) {
      method = "exact:GET";
    }
    return new Prefixed(rule, routeName(route.name(), rule), matchName(m.name(), index), p.value(), m.portOrZero(),
        method, exactOrPrefix(m.authority()), reduce(m.headers()), reduce(m.queryParams()), reduce(m.withoutHeaders()));
  }

  private static Map<String, String> reduce(@Nullable Map<String, @Nullable StringMatch> matches) {
    Map<String, String> out = new TreeMap<>();
    if (matches != null) {
      matches.forEach((k, v) -> out.put(k, exactOrPrefix(v)));
    }
    return out;
  }

  private static String exactOrPrefix(@Nullable StringMatch m) {
    if (m instanceof StringMatch.Exact e && !e.value().isEmpty()) {
      return "exact:" + e.value();
    }
    if (m instanceof StringMatch.Prefix p && !p.value().isEmpty()) {
      return "prefix:" + p.value();
    }
    return "";
  }

  /** Whether every request that {@code b} matches is already matched by the earlier {@code a}. */
  private static boolean covers(Prefixed a, Prefixed b) {
    if (!b.prefix.startsWith(a.prefix) || a.port != b.port) {
      return false;
    }
    if (!a.method.equals(b.method) && !a.method.startsWith(b.method)) {
      return false;
    }
    if (!a.authority.equals(b.authority) && !a.authority.startsWith(b.authority)) {
      return false;
    }
    return mapCovers(a.headers, b.headers) && mapCovers(a.queryParams, b.queryParams)
        && mapCovers(a.withoutHeaders, b.withoutHeaders);
  }

  private static boolean mapCovers(Map<String, String> a, Map<String, String> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, String> e : a.entrySet()) {
      String other = b.get(e.getKey());
      if (other == null) {
        return false;
      }
      if (!Objects.equals(e.getValue(), other) && !e.getValue().startsWith(other)) {
        return false;
      }
    }
    return true;
  }
}
