package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.istio.StringMatch;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.config.kube.Kube;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static LoadResult load(String yaml) {
    return new ConfigLoader().load("t.yaml", new StringReader(yaml));
  }

  @Test
  void bindsVirtualServiceIntoRecords() {
    //language=YAML
    LoadResult r = load("""
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          hosts: [reviews]
          http:
          - match:
            - headers:
                end-user:
                  exact: jason
              uri: {prefix: /r}
            route:
            - destination: {host: reviews, subset: v2}
              weight: 80
        """);
    assertThat(r.problems()).isEmpty();
    Resource res = r.resources().getFirst();
    assertThat(res.kind()).isEqualTo(ResourceKind.VIRTUAL_SERVICE);
    assertThat(res.friendlyName()).isEqualTo("VirtualService bookinfo/reviews");
    VirtualService vs = (VirtualService) res.spec();
    assertThat(vs.http().getFirst().match().getFirst().headers()).containsEntry("end-user", new StringMatch.Exact("jason"));
    assertThat(vs.http().getFirst().match().getFirst().uri()).isEqualTo(new StringMatch.Prefix("/r"));
    assertThat(vs.http().getFirst().route().getFirst().weight()).isEqualTo(80);
    assertThat(res.originOf("spec.http[0].route[0].weight").line()).isEqualTo(16);
  }

  @Test
  void unknownFieldIsASchemaErrorNamingThePath() {
    LoadResult r = load("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: d}
        spec:
          host: d
          trafficPolicy:
            loadBalancer:
              simpel: ROUND_ROBIN
        """);
    assertThat(r.resources()).isEmpty();
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.message()).isEqualTo("unknown field \"spec.trafficPolicy.loadBalancer.simpel\"");
      assertThat(p.origin().line()).isEqualTo(8);
      assertThat(p.friendlyName()).isEqualTo("DestinationRule d");
    });
  }

  @Test
  void unknownTopLevelField() {
    LoadResult r = load("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspecs: {}\n");
    assertThat(r.problems()).singleElement().extracting(LoadProblem::message).isEqualTo("unknown field \"specs\"");
  }

  @Test
  void wrongTypeNamesFieldAndExpectedType() {
    LoadResult r = load("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: v}
        spec:
          hosts: [v]
          http:
          - route:
            - destination: {host: v}
              weight: heavy
        """);
    assertThat(r.problems()).singleElement().extracting(LoadProblem::message)
        .isEqualTo("spec.http[0].route[0].weight: Invalid value: \"heavy\": expected integer");
  }

  @Test
  void moreThanOneStringMatchTypeIsRefused() {
    LoadResult r = load("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: v}
        spec:
          hosts: [v]
          http:
          - match:
            - uri: {exact: /a, prefix: /b}
            route:
            - destination: {host: v}
        """);
    assertThat(r.problems()).singleElement().extracting(LoadProblem::message).asString()
        .contains("spec.http[0].match[0].uri").contains("only one of exact, prefix or regex");
  }

  @Test
  void unservedVersionIsNamed() {
    LoadResult r = load("apiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata: {name: v}\n");
    assertThat(r.problems()).singleElement().extracting(LoadProblem::message).asString()
        .contains("no matches for kind \"VirtualService\" in version \"networking.istio.io/v2\"");
  }

  @Test
  void unknownKindsAreKeptAndSummarisedOnce() {
    LoadResult r = load("""
        apiVersion: config.istio.io/v1alpha2
        kind: rule
        metadata: {name: a}
        ---
        apiVersion: config.istio.io/v1alpha2
        kind: rule
        metadata: {name: b}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: s}
        spec:
          ports: [{port: 80, targetPort: http}]
        """);
    assertThat(r.unknown()).hasSize(2);
    assertThat(r.unknownKindSummary()).singleElement().asString()
        .isEqualTo("unknown kind \"rule\" (apiVersion config.istio.io/v1alpha2): 2 objects, first at t.yaml:1; not modelled by Sluice, ignored");
    Kube.Service svc = (Kube.Service) r.resources().getFirst().spec();
    assertThat(svc.specOrEmpty().ports().getFirst().targetPortOrDefault().toString()).isEqualTo("http");
  }

  @Test
  void listKindIsExpanded() {
    LoadResult r = load("""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: networking.istio.io/v1
          kind: Gateway
          metadata: {name: a}
          spec: {selector: {istio: ingressgateway}}
        - apiVersion: networking.istio.io/v1
          kind: Gateway
          metadata: {name: b}
        """);
    assertThat(r.resources()).extracting(Resource::name).containsExactly("a", "b");
    assertThat(r.resources().get(1).origin().line()).isEqualTo(8);
  }

  @Test
  void missingNameIsAProblem() {
    LoadResult r = load("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {namespace: x}\n");
    assertThat(r.problems()).singleElement().extracting(LoadProblem::message).isEqualTo("metadata.name: Required value");
  }

  @Test
  void namespaceDefaultsOnlyWhenAbsent() {
    LoadResult r = load("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: a}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: b, namespace: other}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: n}
        """);
    assertThat(r.resources()).extracting(res -> res.withDefaultNamespace("default").namespace())
        .containsExactly("default", "other", "");
  }
}
