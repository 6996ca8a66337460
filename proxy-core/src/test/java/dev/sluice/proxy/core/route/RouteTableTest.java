package dev.sluice.proxy.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.proxy.core.xds.RouteConfigurationParser;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static VirtualHost vh(String name, String... domains) {
    return VirtualHost.of(name, List.of(domains),
        List.of(Route.of(name, RouteMatch.prefix("/"), RouteAction.Forward.toCluster(name))));
  }

  private static final RouteTable DOMAINS = RouteTable.of("80", List.of(
      vh("exact", "www.example.com", "www.example.com:8080"),
      vh("suffix", "*.example.com"),
      vh("longsuffix", "*.api.example.com"),
      vh("prefix", "foo.*"),
      vh("any", "*")));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "www.example.com, exact",
      "WWW.Example.COM, exact",
      "www.example.com:8080, exact",
      "www.example.com:9090, any",
      "a.example.com, suffix",
      "x.api.example.com, longsuffix",
      "api.example.com, suffix",
      ".example.com, any",
      "foo.bar, prefix",
      "foo., any",
      "other, any",
  })
  void virtualHostByDomain(String authority, String expected) {
    assertThat(DOMAINS.findVirtualHost(authority).name()).isEqualTo(expected);
  }

  @Test
  void noDefaultHostMeansNoRoute() {
    RouteTable t = RouteTable.of("r", List.of(vh("a", "a")));
    assertThat(t.select(FakeRequest.of("b", "/"))).isNull();
  }

  @Test
  void ignorePortInHostMatching() {
    RouteTable t = new RouteTable("r", List.of(vh("a", "a")), HeaderMutation.NONE, HeaderMutation.NONE, true);
    assertThat(t.findVirtualHost("a:9080").name()).isEqualTo("a");
    assertThat(RouteTable.stripPort("[::1]:80")).isEqualTo("[::1]");
    assertThat(RouteTable.stripPort("[::1]")).isEqualTo("[::1]");
  }

  @Test
  void duplicateDomainRejected() {
    assertThatThrownBy(() -> RouteTable.of("r", List.of(vh("a", "x"), vh("b", "X"))))
        .hasMessageContaining("virtual_hosts[b].domains: \"X\"");
  }

  //language=JSON
  private static final String ROUTES = """
      {"name": "8080", "virtual_hosts": [{"name": "vh", "domains": ["*"], "routes": [
        {"name": "exact", "match": {"path": "/exact"}, "route": {"cluster": "c-exact"}},
        {"name": "ci", "match": {"prefix": "/CaSe", "case_sensitive": false}, "route": {"cluster": "c-ci"}},
        {"name": "sep", "match": {"path_separated_prefix": "/api"}, "route": {"cluster": "c-sep"}},
        {"name": "regex", "match": {"safe_regex": {"regex": "/re/[0-9]+"}}, "route": {"cluster": "c-regex"}},
        {"name": "hdr-exact", "match": {"prefix": "/h", "headers": [{"name": "X-User", "exact_match": "jason"}]}, "route": {"cluster": "c-jason"}},
        {"name": "hdr-sm", "match": {"prefix": "/h", "headers": [{"name": "x-user", "string_match": {"prefix": "ad", "ignore_case": true}}]}, "route": {"cluster": "c-admin"}},
        {"name": "hdr-suffix", "match": {"prefix": "/h", "headers": [{"name": "x-user", "suffix_match": "son"}]}, "route": {"cluster": "c-son"}},
        {"name": "hdr-contains", "match": {"prefix": "/h", "headers": [{"name": "x-user", "contains_match": "mid"}]}, "route": {"cluster": "c-mid"}},
        {"name": "hdr-regex", "match": {"prefix": "/h", "headers": [{"name": "x-user", "safe_regex_match": {"regex": "u[0-9]+"}}]}, "route": {"cluster": "c-re"}},
        {"name": "hdr-present", "match": {"prefix": "/h", "headers": [{"name": "x-canary", "present_match": true}]}, "route": {"cluster": "c-canary"}},
        {"name": "hdr-invert", "match": {"prefix": "/h", "headers": [{"name": "x-env", "exact_match": "prod", "invert_match": true}]}, "route": {"cluster": "c-notprod"}},
        {"name": "query", "match": {"prefix": "/q", "query_parameters": [{"name": "v", "string_match": {"exact": "2"}}]}, "route": {"cluster": "c-v2"}},
        {"name": "query-present", "match": {"prefix": "/q", "query_parameters": [{"name": "debug", "present_match": true}]}, "route": {"cluster": "c-debug"}},
        {"name": "catch-all", "match": {"prefix": "/"}, "route": {"cluster": "c-default"}}
      ]}]}
      """;

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "/exact        |                     | | c-exact",
      "/exact?x=1    |                     | | c-exact",
      "/exact/more   |                     | | c-default",
      "/case/X       |                     | | c-ci",
      "/api          |                     | | c-sep",
      "/api/v1       |                     | | c-sep",
      "/apiv1        |                     | | c-default",
      "/re/123       |                     | | c-regex",
      "/re/12a       |                     | | c-default",
      "/h            | x-user              | jason   | c-jason",
      "/h            | x-user              | ADMIN   | c-admin",
      "/h            | x-user              | mason   | c-son",
      "/h            | x-user              | amidb   | c-mid",
      "/h            | x-user              | u42     | c-re",
      "/h            | x-canary            | ''      | c-canary",
      "/h            | x-env               | dev     | c-notprod",
      "/h            | x-env               | prod    | c-default",
      "/q?v=2        |                     | | c-v2",
      "/q?a=1&v=2    |                     | | c-v2",
      "/q?v=3        |                     | | c-default",
      "/q?debug      |                     | | c-debug",
  })
  void routeMatches(String path, String header, String value, String cluster) {
    RouteTable t = parseJson(ROUTES);
    FakeRequest req = header == null ? FakeRequest.of("any", path) : FakeRequest.of("any", path, header, value == null ? "" : value);
    RouteSelection sel = t.select(req);
    assertThat(sel).isNotNull();
    var fwd = (RouteAction.Forward) sel.route().action();
    assertThat(((ClusterSpecifier.Single) fwd.cluster()).name()).isEqualTo(cluster);
  }

  @Test
  void invertMatchesAbsentHeaderAndPresentFalse() {
    HeaderMatcher notProd = HeaderMatcher.of("x-env", new StringMatcher.Exact("prod", false)).inverted();
    assertThat(notProd.matchesValue(null)).isTrue();
    assertThat(notProd.matchesValue("prod")).isFalse();
    assertThat(HeaderMatcher.present("x", false).matchesValue(null)).isTrue();
    assertThat(HeaderMatcher.present("x", false).matchesValue("1")).isFalse();
    assertThat(new HeaderMatcher("x", new StringMatcher.Exact("", false), true, false, true).matchesValue(null)).isTrue();
  }

  @Test
  void weightedPick() {
    var w = ClusterSpecifier.Weighted.of(List.of(WeightedCluster.of("a", 80), WeightedCluster.of("b", 20)));
    assertThat(w.pick(0).name()).isEqualTo("a");
    assertThat(w.pick(79).name()).isEqualTo("a");
    assertThat(w.pick(80).name()).isEqualTo("b");
    assertThat(w.pick(99).name()).isEqualTo("b");
  }

  @Test
  void regexRewrite() {
    var rr = new RouteAction.RegexRewrite(com.google.re2j.Pattern.compile("^/service/([^/]+)(/.*)$"), "\\2/instance/\\1");
    assertThat(rr.apply("/service/foo/v1/api")).isEqualTo("/v1/api/instance/foo");
  }

  static RouteTable parseJson(String json) {
    try {
      RouteConfiguration.Builder b = RouteConfiguration.newBuilder();
      com.google.protobuf.util.JsonFormat.parser().merge(json, b);
      return RouteConfigurationParser.parse(b.build());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
