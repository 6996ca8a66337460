package dev.sluice.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.dashboard.ScrapeTarget;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvertisedTargetsTest {
  static Value s(String v) {
    return Value.newBuilder().setStringValue(v).build();
  }

  static Node node(String id, Struct md) {
    return Node.newBuilder().setId(id).setMetadata(md).build();
  }

  @Test
  void labelsFromNodeMetadataAndDuplicatesOfThePlatformDropped() {
    Node reviews = node("sidecar~10.0.0.2~reviews-v2-1.bookinfo~bookinfo.svc.cluster.local", Struct.newBuilder()
        .putFields(AdvertisedTargets.KEY, s("http://127.0.0.1:41234/stats/prometheus"))
        .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder().putFields("app", s("reviews"))).build())
        .build());
    Node named = node("anything", Struct.newBuilder()
        .putFields(AdvertisedTargets.KEY, s("http://127.0.0.1:41235/stats/prometheus"))
        .putFields("NAME", s("ratings-v1-0")).putFields("NAMESPACE", s("ns2")).build());
    Node silent = node("sidecar~10.0.0.3~details-v1-0.default~default.svc.cluster.local", Struct.getDefaultInstance());
    Node bad = node("bad", Struct.newBuilder().putFields(AdvertisedTargets.KEY, s("not a url")).build());

    List<ScrapeTarget> adv = AdvertisedTargets.of(List.of(reviews, named, silent, bad));
    assertThat(adv).containsExactly(
        new ScrapeTarget(URI.create("http://127.0.0.1:41234/stats/prometheus"), "reviews-v2-1", "bookinfo", "reviews"),
        new ScrapeTarget(URI.create("http://127.0.0.1:41235/stats/prometheus"), "ratings-v1-0", "ns2", "ratings-v1-0"));

    ScrapeTarget platform = new ScrapeTarget(URI.create("http://127.0.0.1:41234/stats/prometheus"), "reviews-v2-1",
        "bookinfo", "reviews");
    assertThat(AdvertisedTargets.merge(List.of(platform), adv)).containsExactly(platform, adv.get(1));
  }
}
