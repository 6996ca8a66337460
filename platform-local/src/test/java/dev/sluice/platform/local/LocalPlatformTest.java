package dev.sluice.platform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.controlplane.Sluiced;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Bookinfo demo on the local platform, through the ingress gateway. */
@Timeout(120)
class LocalPlatformTest {
  Sluiced cp;
  LocalPlatform platform;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void start() {
    cp = Sluiced.start(Sluiced.Options.ephemeral());
    platform = LocalPlatform.start(cp, LocalPlatform.Options.ephemeral().withEvents(System.out::println));
  }

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  String get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  @Test
  void bookinfoDemoServesTheProductPage() throws Exception {
    long t0 = System.nanoTime();
    platform.apply("bookinfo", Demos.yaml("bookinfo"));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> get("/productpage").startsWith("200"));
    System.out.println("first 200 after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> get("/productpage").contains("Reviews served by"));
    System.out.println("complete page after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    String page = get("/productpage");
    assertThat(page).contains("<title>Simple Bookstore App</title>", "Reviews served by");
  }
}
