package dev.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The istio-tutorial chain through a forward proxy, and helloworld. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TutorialAndHelloworldTest {

  final List<AutoCloseable> open = new ArrayList<>();

  RunningSample start(String name, String pod, String proxyUrl) throws Exception {
    SampleContext.Builder b = SampleContext.builder(PodInfo.named(pod)).env("HOSTNAME", pod).log(l -> { });
    Sample sample = SampleCatalog.forName(name).orElseThrow();
    sample.containerPorts(b.build()).forEach(p -> b.port(p, 0));
    if (proxyUrl != null) {
      b.env("http_proxy", proxyUrl);
    }
    RunningSample r = sample.start(b.build());
    open.add(r);
    return r;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void customerPreferenceRecommendation() throws Exception {
    ForwardProxy proxy = new ForwardProxy();
    open.add(proxy);
    RunningSample customer = start("customer", "customer-6d9b7c5f4-cust1", proxy.url());
    RunningSample preference = start("preference", "preference-v1-7c9d8f6b5-pref1", proxy.url());
    RunningSample v1 = start("recommendation-v1", "recommendation-v1-6cf5ff55d9-7zbj8", proxy.url());
    proxy.route("preference:8080", preference.port()).route("recommendation:8080", v1.port());
    String url = "http://127.0.0.1:" + customer.port() + "/";

    HttpResponse<String> first = Http.get(url, "User-Agent", "Mozilla/5.0 Firefox/120.0");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(
        "customer => preference => recommendation v1 from 'recommendation-v1-6cf5ff55d9-7zbj8': 1\n");
    assertThat(Http.get(url).body()).endsWith("': 2\n");
    assertThat(proxy.seen("recommendation").getFirst().header("baggage-user-agent"))
        .isEqualTo("Mozilla/5.0 Firefox/120.0");

    RunningSample v2 = start("recommendation-v2", "recommendation-v2-99634814-sf4cl", proxy.url());
    proxy.route("recommendation:8080", v2.port());
    assertThat(Http.get(url).body()).isEqualTo(
        "customer => preference => recommendation v2 from 'recommendation-v2-99634814-sf4cl': 1\n");

    assertThat(Http.get("http://127.0.0.1:" + v2.port() + "/misbehave").body())
        .isEqualTo("Following requests to / will return a 503\n");
    HttpResponse<String> broken = Http.get(url);
    assertThat(broken.statusCode()).isEqualTo(503);
    assertThat(broken.body()).isEqualTo("customer => Error: 503 - preference => Error: 503 - "
        + "recommendation misbehavior from 'recommendation-v2-99634814-sf4cl'\n\n\n");
    assertThat(Http.get("http://127.0.0.1:" + v2.port() + "/behave").body())
        .isEqualTo("Following requests to / will return 200\n");

    proxy.route("recommendation:8080", -1);
    assertThat(Http.get(url).body())
        .isEqualTo("customer => Error: 503 - preference => Error: 503 - no healthy upstream\n\n");
  }

  @Test
  void withoutAProxyAnUnknownServiceIsAnUnknownHost() throws Exception {
    RunningSample preference = start("preference", "preference-v1-x", null);
    HttpResponse<String> r = Http.get("http://127.0.0.1:" + preference.port() + "/");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("preference => UnknownHostException: recommendation\n");
  }

  @Test
  void helloworld() throws Exception {
    RunningSample v1 = start("helloworld-v1", "helloworld-v1-6d65866976-jb6qc", null);
    RunningSample v2 = start("helloworld-v2", "helloworld-v2-7fd66fcfdc-qnxnq", null);
    HttpResponse<String> hello = Http.get("http://127.0.0.1:" + v1.port() + "/hello");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(hello.body()).isEqualTo("Hello version: v1, instance: helloworld-v1-6d65866976-jb6qc\n");
    assertThat(Http.get("http://127.0.0.1:" + v2.port() + "/hello").body())
        .isEqualTo("Hello version: v2, instance: helloworld-v2-7fd66fcfdc-qnxnq\n");
    assertThat(Http.get("http://127.0.0.1:" + v1.port() + "/health").body()).isEqualTo("Helloworld is healthy");
    HttpResponse<String> missing = Http.get("http://127.0.0.1:" + v1.port() + "/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).startsWith("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>");
  }

  @Test
  void sleepListensNowhere() throws Exception {
    RunningSample sleep = start("sleep", "sleep-7656cf8794-8fhdk", null);
    assertThat(sleep.port()).isEqualTo(-1);
    assertThat(sleep.ports()).isEmpty();
  }
}
