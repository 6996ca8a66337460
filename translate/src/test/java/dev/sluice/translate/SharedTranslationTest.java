package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Shared + inbound resources are exactly the full translation (what the xDS server's cache relies on). */
class SharedTranslationTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.sluice.translate.GoldenTest#cases")
  void sharedPlusInboundEqualsFullTranslation(String name) throws IOException {
    Golden.Case c = Golden.load(Golden.ROOT.resolve(name));
    ProxyResources full = XdsTranslator.translate(c.snapshot(), c.proxy());
    ProxyResources shared = XdsTranslator.translateShared(c.snapshot(), c.proxy());
    ProxyResources inbound = XdsTranslator.translateInbound(c.snapshot(), c.proxy());
    var listeners = new ArrayList<>(shared.listeners());
    listeners.addAll(inbound.listeners());
    listeners.sort(Comparator.comparing(io.envoyproxy.envoy.config.listener.v3.Listener::getName));
    var clusters = new ArrayList<>(shared.clusters());
    clusters.addAll(inbound.clusters());
    clusters.sort(Comparator.comparing(io.envoyproxy.envoy.config.cluster.v3.Cluster::getName));
    assertThat(listeners).isEqualTo(full.listeners());
    assertThat(clusters).isEqualTo(full.clusters());
    assertThat(shared.routes()).isEqualTo(full.routes());
    assertThat(shared.endpoints()).isEqualTo(full.endpoints());
    assertThat(ViewKey.of(c.snapshot(), c.proxy())).isEqualTo(ViewKey.of(c.snapshot(), c.proxy()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.sluice.translate.GoldenTest#cases")
  void viewsSharingOneSnapshotsTranslationsGetWhatTheyWouldAlone(String name) throws IOException {
    Golden.Case c = Golden.load(Golden.ROOT.resolve(name));
    SharedTranslations shared = new SharedTranslations(c.snapshot());
    // Proxies that see different DestinationRules (namespace, labels) share one memo, in either order.
    List<ProxyNode> nodes = List.of(c.proxy(),
        ProxyNode.sidecar("other-1", "other", "10.9.9.9", java.util.Map.of("app", "other")),
        ProxyNode.sidecar("reviews-v2-1", "default", "10.9.9.8", java.util.Map.of("app", "reviews", "version", "v2")),
        c.proxy());
    for (ProxyNode node : nodes) {
      assertThat(XdsTranslator.translateShared(c.snapshot(), node, shared))
          .isEqualTo(XdsTranslator.translateShared(c.snapshot(), node));
    }
  }
}
