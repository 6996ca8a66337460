package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.lb.Hashing;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a request is hashed for RING_HASH and MAGLEV, as Envoy's {@code RouteAction.HashPolicy}.
 * Hashes of several policies are combined (rotate left by one, then xor); a {@code terminal}
 * policy that produced a hash stops the evaluation.
 */
public sealed interface HashPolicy {

  /** Whether evaluation stops after this policy when it produced a hash. */
  boolean terminal();

  /** The hash input, or {@code null} when this policy does not apply to the request. */
  @Nullable String key(RequestView request);

  /** Hash of a request header's value. */
  record Header(String name, boolean terminal) implements HashPolicy {
    public Header {
      requireNonNull(name, "name");
    }

    @Override
    public @Nullable String key(RequestView request) {
      return request.header(name);
    }
  }

  /** Hash of a cookie's value (a missing cookie is not generated: no hash). */
  record Cookie(String name, boolean terminal) implements HashPolicy {
    public Cookie {
      requireNonNull(name, "name");
    }

    @Override
    public @Nullable String key(RequestView request) {
      String cookies = request.header("cookie");
      if (cookies == null) {
        return null;
      }
      int i = 0;
      int n = cookies.length();
      while (i < n) {
        int semi = cookies.indexOf(';', i);
        int end = semi < 0 ? n : semi;
        while (i < end && cookies.charAt(i) == ' ') {
          i++;
        }
        int eq = cookies.indexOf('=', i);
        if (eq > 0 && eq < end && eq - i == name.length() && cookies.startsWith(name, i)) {
          String v = cookies.substring(eq + 1, end).trim();
          if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
          }
          return v;
        }
        i = end + 1;
      }
      return null;
    }
  }

  /** Hash of the downstream peer's IP address. */
  record SourceIp(boolean terminal) implements HashPolicy {
    @Override
    public @Nullable String key(RequestView request) {
      String ip = request.sourceIp();
      return ip.isEmpty() ? null : ip;
    }
  }

  /** Hash of a query parameter's first value. */
  record QueryParameter(String name, boolean terminal) implements HashPolicy {
    public QueryParameter {
      requireNonNull(name, "name");
    }

    @Override
    public @Nullable String key(RequestView request) {
      String path = request.path();
      int q = path.indexOf('?');
      if (q < 0) {
        return null;
      }
      int hash = path.indexOf('#', q);
      String query = path.substring(q + 1, hash < 0 ? path.length() : hash);
      return QueryParamMatcher.firstValue(query, name);
    }
  }

  /**
   * Combines the hashes of {@code policies} for {@code request}.
   *
   * @return the hash, or {@code null} when no policy applied (the balancer then picks at random)
   */
  static @Nullable Long compute(List<HashPolicy> policies, RequestView request) {
    Long result = null;
    for (int i = 0; i < policies.size(); i++) {
      HashPolicy p = policies.get(i);
      String key = p.key(request);
      if (key == null) {
        continue;
      }
      long h = Hashing.xxHash64(key);
      result = result == null ? h : (Long.rotateLeft(result, 1) ^ h);
      if (p.terminal()) {
        break;
      }
    }
    return result;
  }
}
