package dev.sluice.config.validation;

import dev.sluice.config.istio.DestinationRule.ConsistentHash;
import dev.sluice.config.istio.DestinationRule.CookieAttribute;
import dev.sluice.config.istio.DestinationRule.Distribute;
import dev.sluice.config.istio.DestinationRule.Failover;
import dev.sluice.config.istio.DestinationRule.LoadBalancer;
import dev.sluice.config.istio.DestinationRule.LocalityLb;
import dev.sluice.config.istio.DestinationRule.OutlierDetection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@code LoadBalancerSettings}: consistent hashing, locality and zone-aware settings, warmup. */
final class LoadBalancerValidator {
  private LoadBalancerValidator() {}

  private static final Set<String> TOPOLOGY_LABELS =
      Set.of("topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone");

  static void validate(@Nullable LoadBalancer lb, @Nullable OutlierDetection outlier, String path, Issues out) {
    if (lb == null) {
      return;
    }
    out.error(path + ".simple", Primitives.oneOf(path + ".simple", lb.simple(), "UNSPECIFIED", "LEAST_CONN", "RANDOM",
        "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"));
    ConsistentHash ch = lb.consistentHash();
    if (ch != null) {
      String cp = path + ".consistentHash";
      var cookie = ch.httpCookie();
      if (cookie != null && Primitives.orEmpty(cookie.name()).isEmpty()) {
        out.error(cp + ".httpCookie", "name required for HttpCookie");
      }
      if (cookie != null) {
        Set<String> names = new HashSet<>();
        for (CookieAttribute a : cookie.attributes()) {
          String name = Primitives.orEmpty(a.name());
          if (name.isEmpty()) {
            out.error(cp + ".httpCookie.attributes", "cookie attribute name cannot be empty");
          } else if (!names.add(name)) {
            out.error(cp + ".httpCookie.attributes", "duplicate cookie attribute name: " + name);
          }
        }
      }
      if (ch.minimumRingSize() != null && ch.minimumRingSize() != 0) {
        out.warn(cp + ".minimumRingSize",
            "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
      }
      out.error(cp, DestinationRuleValidator.consistentHashConflict(ch));
      if (ch.maglev() != null) {
        long size = ch.maglev().tableSize() == null ? 0 : Integer.toUnsignedLong(ch.maglev().tableSize());
        if (size == 0) {
          out.error(cp + ".maglev.tableSize", "tableSize must be set for maglev");
        }
        if (size >= 5000011) {
          out.error(cp + ".maglev.tableSize", "tableSize must be less than 5000011 for maglev");
        }
        if (!Primitives.isPrime(size)) {
          out.error(cp + ".maglev.tableSize", "tableSize must be a prime number for maglev");
        }
      }
    }
    if (lb.localityLbSetting() != null && lb.zoneAwareLbSetting() != null) {
      out.error(path, "only one of localityLbSetting and zoneAwareLbSetting can be set");
    }
    locality(lb.localityLbSetting(), outlier, path + ".localityLbSetting", out);
    zoneAware(lb.zoneAwareLbSetting(), outlier, path + ".zoneAwareLbSetting", out);
    DestinationRuleValidator.warmup(lb.warmup(), path + ".warmup", out);
  }

  private static void locality(@Nullable LocalityLb lb, @Nullable OutlierDetection outlier, String path, Issues out) {
    if (lb == null) {
      return;
    }
    if (!lb.distribute().isEmpty() && !lb.failover().isEmpty()) {
      out.error(path, "can not simultaneously specify 'distribute' and 'failover'");
      return;
    }
    if (!lb.failover().isEmpty()) {
      for (String label : lb.failoverPriority()) {
        if (TOPOLOGY_LABELS.contains(label)) {
          out.error(path + ".failoverPriority", "can not simultaneously set 'failover' and topology label '" + label
              + "' in 'failover_priority'");
          return;
        }
      }
    }
    List<String> sources = new ArrayList<>();
    for (Distribute d : lb.distribute()) {
      sources.add(Primitives.orEmpty(d.from()));
      long total = 0;
      for (int weight : d.to().values()) {
        if (weight <= 0 || weight > 100) {
          out.error(path + ".distribute", "locality weight must be in range [1, 100]");
          return;
        }
        total += weight;
      }
      if (total != 100) {
        out.error(path + ".distribute", "total locality weight " + total + " != 100");
        return;
      }
      out.error(path + ".distribute", localities(new ArrayList<>(d.to().keySet())));
    }
    out.error(path + ".distribute", localities(sources));
    if ((!lb.failover().isEmpty() || !lb.failoverPriority().isEmpty()) && outlier == null) {
      out.warn(path, "outlier detection policy must be provided for failover");
    }
    for (Failover f : lb.failover()) {
      String from = Primitives.orEmpty(f.from());
      String to = Primitives.orEmpty(f.to());
      if (from.equals(to)) {
        out.error(path + ".failover", "locality lb failover settings must specify different regions");
      }
      if (from.contains("/") || to.contains("/")) {
        out.error(path + ".failover", "locality lb failover only specify region");
      }
      if (from.contains("*") || to.contains("*")) {
        out.error(path + ".failover", "locality lb failover region should not contain '*' wildcard");
      }
    }
  }

  private static void zoneAware(@Nullable LocalityLb lb, @Nullable OutlierDetection outlier, String path, Issues out) {
    if (lb == null) {
      return;
    }
    for (String label : lb.failoverPriority()) {
      if (TOPOLOGY_LABELS.contains(label)) {
        out.error(path + ".failoverPriority", "'failover_priority' for zone aware lb must not use topology label '"
            + label + "'; region- and zone-level routing are handled automatically");
      }
    }
    if ((!lb.failover().isEmpty() || !lb.failoverPriority().isEmpty()) && outlier == null) {
      out.warn(path, "outlier detection policy must be provided for failover");
    }
    for (Failover f : lb.failover()) {
      String from = Primitives.orEmpty(f.from());
      String to = Primitives.orEmpty(f.to());
      if (from.equals(to)) {
        out.error(path + ".failover", "zone aware lb failover settings must specify different regions");
      }
      if (from.contains("/") || to.contains("/")) {
        out.error(path + ".failover",
            "zone aware lb failover only specifies region; zone and subzone failover are handled automatically");
      }
      if (from.contains("*") || to.contains("*")) {
        out.error(path + ".failover", "zone aware lb failover region should not contain '*' wildcard");
      }
    }
  }

  /** Localities ({@code region/zone/subzone}, one trailing {@code *}) must not overlap. */
  private static @Nullable String localities(List<String> localities) {
    Map<String, Map<String, Set<String>>> seen = new HashMap<>();
    for (String locality : localities) {
      long stars = locality.chars().filter(c -> c == '*').count();
      if (stars > 1 || (stars == 1 && !locality.endsWith("*"))) {
        return "locality " + locality + " wildcard '*' number can not exceed 1 and must be in the end";
      }
      String overlap = "locality " + locality + " overlap with previous specified ones";
      if (seen.containsKey("*")) {
        return overlap;
      }
      String[] items = locality.split("/", 3);
      for (String item : items) {
        if (item.isEmpty()) {
          return "locality " + locality + " must not contain empty region/zone/subzone info";
        }
      }
      String region = items[0];
      switch (items.length) {
        case 1 -> {
          if (seen.containsKey(region)) {
            return overlap;
          }
          seen.put(region, new HashMap<>(Map.of("*", new HashSet<>(Set.of("*")))));
        }
        case 2 -> {
          Map<String, Set<String>> zones = seen.get(region);
          if (zones != null) {
            if (zones.containsKey("*") || zones.containsKey(items[1])) {
              return overlap;
            }
            zones.put(items[1], new HashSet<>(Set.of("*")));
          } else {
            seen.put(region, new HashMap<>(Map.of(items[1], new HashSet<>(Set.of("*")))));
          }
        }
        default -> {
          Map<String, Set<String>> zones = seen.get(region);
          if (zones != null) {
            if (zones.containsKey("*")) {
              return overlap;
            }
            Set<String> subzones = zones.get(items[1]);
            if (subzones != null) {
              if (subzones.contains("*") || subzones.contains(items[2])) {
                return overlap;
              }
              subzones.add(items[2]);
            } else {
              zones.put(items[1], new HashSet<>(Set.of(items[2])));
            }
          } else {
            seen.put(region, new HashMap<>(Map.of(items[1], new HashSet<>(Set.of(items[2])))));
          }
        }
      }
    }
    return null;
  }
}
