package dev.sluice.proxy.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RouteIndexTest {
  @Test
  void indexedSelectionEqualsLinearScan() {
    Random rnd = new Random(7);
    List<Route> routes = new ArrayList<>();
    String[] parts = {"a", "b", "ab", "api", "v1", "x"};
    for (int i = 0; i < 200; i++) {
      String p = "/" + parts[rnd.nextInt(parts.length)] + (rnd.nextBoolean() ? "/" + parts[rnd.nextInt(parts.length)] : "");
      PathMatch m = switch (rnd.nextInt(5)) {
        case 0 -> new PathMatch.Exact(p, true);
        case 1 -> new PathMatch.Prefix(p, false);
        case 2 -> new PathMatch.Regex(com.google.re2j.Pattern.compile(p + ".*"));
        case 3 -> new PathMatch.SeparatedPrefix(p, true);
        default -> new PathMatch.Prefix(p, true);
      };
      List<HeaderMatcher> hs = rnd.nextInt(4) == 0 ? List.of(HeaderMatcher.present("x-h", true)) : List.of();
      routes.add(Route.of("r" + i, new RouteMatch(m, hs, List.of()), RouteAction.Forward.toCluster("c" + i)));
    }
    VirtualHost vh = VirtualHost.of("v", List.of("*"), routes);
    RouteTable t = RouteTable.of("t", List.of(vh));
    for (int i = 0; i < 2000; i++) {
      String path = "/" + parts[rnd.nextInt(parts.length)] + "/" + parts[rnd.nextInt(parts.length)];
      if (rnd.nextBoolean()) {
        path = path.toUpperCase();
      }
      FakeRequest req = rnd.nextBoolean() ? FakeRequest.of("h", path, "x-h", "1") : FakeRequest.of("h", path);
      RouteSelection sel = t.select(req);
      Route linear = vh.select(req, path, "");
      assertThat(sel == null ? null : sel.route()).as(path).isEqualTo(linear);
    }
  }
}
