package dev.sluice.config.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.Origin;
import dev.sluice.config.validation.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {
  @Test
  void catalogueHasEveryCode() {
    assertThat(Messages.all()).hasSize(68);
    assertThat(Messages.byCode("ist0101")).contains(Messages.REFERENCED_RESOURCE_NOT_FOUND);
    assertThat(Messages.REFERENCED_RESOURCE_NOT_FOUND.level()).isEqualTo(Level.ERROR);
    assertThat(Messages.VIRTUAL_SERVICE_INEFFECTIVE_MATCH.level()).isEqualTo(Level.INFO);
    assertThat(Messages.GATEWAY_PORT_NOT_DEFINED_ON_SERVICE.documentationUrl())
        .isEqualTo("https://istio.io/latest/docs/reference/config/analysis/ist0162/");
  }

  @Test
  void formatsLikeGo() {
    assertThat(Messages.format(Messages.REFERENCED_RESOURCE_NOT_FOUND, "host", "reviews.bogus"))
        .isEqualTo("Referenced host not found: \"reviews.bogus\"");
    assertThat(Messages.format(Messages.VIRTUAL_SERVICE_DESTINATION_PORT_SELECTOR_REQUIRED, "r", List.of(80, 443)))
        .isEqualTo("This VirtualService routes to a service \"r\" that exposes multiple ports [80 443]."
            + " Specifying a port in the destination is required to disambiguate.");
    assertThat(Messages.format(Messages.CONFLICTING_SIDECAR_WORKLOAD_SELECTORS, List.of("a", "b"), "ns", "p"))
        .startsWith("The Sidecars [a b] in namespace \"ns\" select the same workload pod \"p\"");
    assertThat(GoFormat.sprintf("%q %d%% %s", "a\"b", 5)).isEqualTo("\"a\\\"b\" 5% %!s(MISSING)");
  }

  @Test
  void filtersByThresholdAndSuppression() {
    AnalysisMessage err = new AnalysisMessage(Messages.REFERENCED_RESOURCE_NOT_FOUND, "x",
        "VirtualService default/reviews", Origin.NONE);
    AnalysisMessage info = new AnalysisMessage(Messages.PORT_NAME_IS_NOT_UNDER_NAMING_CONVENTION, "y",
        "Service default/reviews", Origin.NONE);
    assertThat(new MessageFilter(Level.WARNING, List.of()).apply(List.of(err, info))).containsExactly(err);
    assertThat(new MessageFilter(Level.INFO, List.of(MessageFilter.Suppression.parse("IST0101=VirtualService *.default")))
        .apply(List.of(err, info))).containsExactly(info);
    assertThat(new MessageFilter(Level.INFO, List.of(MessageFilter.Suppression.parse("IST0101=VirtualService default/*")))
        .apply(List.of(err, info))).containsExactly(info);
    assertThat(new MessageFilter(Level.INFO, List.of(MessageFilter.Suppression.parse("IST0102=*")))
        .apply(List.of(err, info))).containsExactly(err, info);
    assertThatThrownBy(() -> MessageFilter.Suppression.parse("IST0101")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsMeshConfig() {
    MeshConfig m = MeshConfig.parse("""
        rootNamespace: mesh-root
        defaultConfig:
          proxyMetadata:
            ISTIO_META_DNS_CAPTURE: "true"
        """);
    assertThat(m.rootNamespace()).isEqualTo("mesh-root");
    assertThat(m.ingressService()).isEqualTo("istio-ingressgateway");
    assertThat(m.proxyMetadataEnabled("ISTIO_META_DNS_CAPTURE")).isTrue();
    assertThat(MeshConfig.parse("")).isEqualTo(MeshConfig.defaults());
  }
}
