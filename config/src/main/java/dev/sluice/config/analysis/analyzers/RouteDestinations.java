package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.istio.Common.Destination;
import dev.sluice.config.istio.VirtualService;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The destinations of a VirtualService's routes and mirrors, each with the field that holds its host. */
final class RouteDestinations {
  private static final Destination EMPTY = new Destination(null, null, null);

  private RouteDestinations() {}

  /** A destination and where it is written. */
  record Located(Destination destination, String field, boolean mirror) {
    String host() {
      return destination.hostOrEmpty();
    }
  }

  /** Route destinations of tcp, tls and http rules, in that order (as Istio lists them). */
  static List<Located> routes(VirtualService vs) {
    List<Located> out = new ArrayList<>();
    for (int i = 0; i < vs.tcp().size(); i++) {
      var route = vs.tcp().get(i).route();
      for (int j = 0; j < route.size(); j++) {
        out.add(new Located(orEmpty(route.get(j).destination()), "spec.tcp[" + i + "].route[" + j + "].destination.host",
            false));
      }
    }
    for (int i = 0; i < vs.tls().size(); i++) {
      var route = vs.tls().get(i).route();
      for (int j = 0; j < route.size(); j++) {
        out.add(new Located(orEmpty(route.get(j).destination()), "spec.tls[" + i + "].route[" + j + "].destination.host",
            false));
      }
    }
    for (int i = 0; i < vs.http().size(); i++) {
      var route = vs.http().get(i).route();
      for (int j = 0; j < route.size(); j++) {
        out.add(new Located(orEmpty(route.get(j).destination()),
            "spec.http[" + i + "].route[" + j + "].destination.host", false));
      }
    }
    return out;
  }

  /** The {@code mirror} and {@code mirrors[]} destinations of http rules. */
  static List<Located> mirrors(VirtualService vs) {
    List<Located> out = new ArrayList<>();
    for (int i = 0; i < vs.http().size(); i++) {
      VirtualService.HttpRoute r = vs.http().get(i);
      if (r.mirror() != null) {
        out.add(new Located(r.mirror(), "spec.http[" + i + "].mirror.host", true));
      }
      for (int j = 0; j < r.mirrors().size(); j++) {
        out.add(new Located(orEmpty(r.mirrors().get(j).destination()),
            "spec.http[" + i + "].mirrors[" + j + "].destination.host", true));
      }
    }
    return out;
  }

  private static Destination orEmpty(@Nullable Destination d) {
    return d == null ? EMPTY : d;
  }
}
