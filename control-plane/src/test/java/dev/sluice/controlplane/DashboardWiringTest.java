package dev.sluice.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.Resource;
import dev.sluice.dashboard.ScrapeTarget;
import dev.sluice.registry.ApplyResult;
import dev.sluice.translate.MeshTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sluiced's dashboard, its Prometheus service discovery, and the mesh config file. */
class DashboardWiringTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private Sluiced cp;

  @AfterEach
  void stop() {
    if (cp != null) {
      cp.close();
    }
    MeshTelemetry.use(MeshTelemetry.DEFAULT);
  }

  /** A platform with two proxies. */
  private static final class TwoProxies implements Platform {
    @Override
    public @Nullable String check(Resource resource) {
      return null;
    }

    @Override
    public ApplyResult apply(Resource resource) {
      return new ApplyResult(resource.key(), ApplyResult.Status.UNCHANGED, List.of());
    }

    @Override
    public ApplyResult delete(Resource.Key key) {
      return new ApplyResult(key, ApplyResult.Status.UNCHANGED, List.of());
    }

    @Override
    public List<Resource> list() {
      return List.of();
    }

    @Override
    public List<ScrapeTarget> scrapeTargets() {
      return List.of(
          new ScrapeTarget(URI.create("http://127.0.0.1:41001/stats/prometheus"), "reviews-v2-abc", "default", "reviews"),
          new ScrapeTarget(URI.create("http://127.0.0.1:41002/stats/prometheus"), "productpage-v1-xyz", "default",
              "productpage"));
    }
  }

  private static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void servesTheDashboardAndListsThePlatformsProxiesForPrometheus() throws Exception {
    cp = Sluiced.start(Sluiced.Options.ephemeral().withDashboard(0, null, Duration.ofSeconds(30)));
    cp.setPlatform(new TwoProxies());
    JsonNode sd = getJson("http://127.0.0.1:" + cp.httpPort() + "/debug/prometheus_sd");
    assertThat(sd).hasSize(2);
    assertThat(sd.get(0).path("targets").get(0).asText()).isEqualTo("127.0.0.1:41001");
    assertThat(sd.get(0).path("labels").path("pod").asText()).isEqualTo("reviews-v2-abc");
    assertThat(sd.get(0).path("labels").path("app").asText()).isEqualTo("reviews");
    assertThat(sd.get(0).path("labels").path("__metrics_path__").asText()).isEqualTo("/stats/prometheus");

    String url = getJson("http://127.0.0.1:" + cp.httpPort() + "/debug/dashboardz").path("url").asText();
    assertThat(url).isEqualTo(cp.dashboardUrl().orElseThrow().toString()).startsWith("http://127.0.0.1:");
    assertThat(getJson(url + "api/status").toString()).contains("embedded");
    assertThat(cp.embeddedMetrics()).isPresent();
  }

  @Test
  void withoutADashboardTheUrlIsNull() throws Exception {
    cp = Sluiced.start(Sluiced.Options.ephemeral());
    assertThat(cp.dashboardUrl()).isEmpty();
    assertThat(getJson("http://127.0.0.1:" + cp.httpPort() + "/debug/dashboardz").path("url").isNull()).isTrue();
    assertThat(getJson("http://127.0.0.1:" + cp.httpPort() + "/debug/prometheus_sd")).isEmpty();
  }

  @Test
  void theMeshConfigsTelemetryIsWhatTranslationUses(@TempDir Path dir) throws Exception {
    Path mesh = Files.writeString(dir.resolve("mesh.yaml"), "accessLogFile: /dev/stdout\n"
        + "defaultConfig: {tracing: {sampling: 100, zipkin: {address: zipkin.istio-system:9411}}}\n");
    MeshTelemetry t = MeshConfigFile.read(mesh);
    assertThat(t.samplingPercent()).isEqualTo(100);
    assertThat(t.accessLogFile()).isEqualTo("/dev/stdout");
    cp = Sluiced.start(Sluiced.Options.ephemeral().withTelemetry(t));
    assertThat(MeshTelemetry.inUse()).isEqualTo(t);

    Path bad = Files.writeString(dir.resolve("bad.yaml"), "defaultConfig: {tracing: {sampling: 400}}\n");
    assertThatThrownBy(() -> MeshConfigFile.read(bad))
        .hasMessage(bad + ": defaultConfig.tracing.sampling: 400.0 (expected: a percentage 0..100)");
  }
}
