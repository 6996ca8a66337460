package dev.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Images → samples, names, image env and ports. */
class SampleCatalogTest {

  @ParameterizedTest
  @CsvSource({
      "registry.istio.io/release/examples-bookinfo-productpage-v1:1.20.3, productpage",
      "docker.io/istio/examples-bookinfo-reviews-v2:1.20.3, reviews-v2",
      "registry.istio.io/release/examples-bookinfo-reviews-v3:1.20.3, reviews-v3",
      "registry.istio.io/release/examples-bookinfo-ratings-v2:1.20.3, ratings-v2",
      "registry.istio.io/release/examples-bookinfo-details-v2:1.20.3, details-v2",
      "registry.istio.io/release/examples-bookinfo-mongodb:1.20.3, mongodb",
      "registry.istio.io/release/examples-helloworld-v2:1.0, helloworld-v2",
      "quay.io/rhdevelopers/istio-tutorial-customer:v1.1, customer",
      "quay.io/rhdevelopers/istio-tutorial-preference:v1.1, preference",
      "quay.io/rhdevelopers/istio-tutorial-recommendation:v1.2, recommendation-v1",
      "quay.io/rhdevelopers/istio-tutorial-recommendation:v2.2, recommendation-v2",
      "quay.io/rhdevelopers/istio-tutorial-recommendation:v2.2-timeout, recommendation-v2-timeout",
      "quay.io/rhdevelopers/istio-tutorial-recommendation:3.3, recommendation-v3",
      "example/recommendation:v2, recommendation-v2",
      "docker.io/mccutchen/go-httpbin:v2.15.0, httpbin",
      "docker.io/kennethreitz/httpbin, httpbin-python",
      "docker.io/curlimages/curl:8.16.0, sleep",
      "registry.istio.io/release/tcp-echo-server:1.3, tcp-echo",
      "docker.io/istio/examples-bookinfo-reviews-v1@sha256:abcd, reviews-v1",
  })
  void mapsImages(String image, String name) {
    assertThat(SampleCatalog.forImage(image)).map(Sample::name).hasValue(name);
  }

  @Test
  void unknownImagesAreNotSamples() {
    assertThat(SampleCatalog.forImage("docker.io/library/nginx:1.27")).isEmpty();
    assertThat(SampleCatalog.forImage("example/recommendation:v4")).isEmpty();
    assertThat(SampleCatalog.forImage("postgres:10.4")).isEmpty();
  }

  @Test
  void imageEnvIsUnderTheContainerEnv() {
    Sample v3 = SampleCatalog.forName("reviews-v3").orElseThrow();
    assertThat(v3.imageEnv()).containsEntry("STAR_COLOR", "red").containsEntry("ENABLE_RATINGS", "true");
    assertThat(SampleCatalog.forName("reviews").orElseThrow().name()).isEqualTo("reviews-v1");
    SampleContext ctx = SampleContext.builder(PodInfo.named("p")).env("STAR_COLOR", "green").build();
    assertThat(ctx.withEnvDefaults(v3.imageEnv()).env("STAR_COLOR")).isEqualTo("green");
    assertThat(ctx.hostname()).isEqualTo("p");
    assertThat(ctx.listenPort(9080)).isEqualTo(9080);
  }

  @Test
  void everyImageInTheConformanceYamlThatIsAnIstioSampleMaps() throws IOException {
    Path root = Path.of(System.getProperty("sluice.root", ".."), "..", "shared", "conformance");
    Assumptions.assumeTrue(Files.isDirectory(root), "no ../shared/conformance");
    Pattern image = Pattern.compile("image:\\s*\"?([^\\s\"]+)");
    List<String> unmapped;
    try (Stream<Path> files = Files.walk(root.resolve("istio-samples"))) {
      unmapped = Stream.concat(files, Files.walk(root.resolve("istio-tutorial")))
          .filter(p -> p.toString().matches(".*\\.ya?ml$"))
          .flatMap(p -> {
            try {
              Matcher m = image.matcher(Files.readString(p));
              return m.results().map(r -> r.group(1)).toList().stream();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .distinct()
          .filter(i -> SampleCatalog.forImage(i).isEmpty())
          .sorted()
          .toList();
    }
    // Not samples: fortio (a load generator the platform runs as a command), PostgreSQL, and the
    // tutorial's own builds of later lessons.
    assertThat(unmapped).allMatch(i -> i.contains("fortio") || i.startsWith("postgres")
        || i.matches("example/recommendation:(v[4-7]|virtualized)"), "unmapped: " + unmapped);
  }

  @Test
  void portsFollowArgsAndEnv() {
    SampleContext tcp = SampleContext.builder(PodInfo.named("t")).args(List.of("9000,9001", "two")).build();
    assertThat(SampleCatalog.forName("tcp-echo").orElseThrow().containerPorts(tcp)).containsExactly(9000, 9001);
    SampleContext bin = SampleContext.builder(PodInfo.named("h")).env(Map.of("PORT", "9999")).build();
    assertThat(SampleCatalog.forName("httpbin").orElseThrow().containerPorts(bin)).containsExactly(9999);
    assertThat(SampleCatalog.forName("productpage").orElseThrow()
        .containerPorts(SampleContext.builder(PodInfo.named("x")).build())).containsExactly(9080);
  }
}
