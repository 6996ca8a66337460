package dev.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** httpbin in both flavours, and tcp-echo's prefixed lines. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpBinAndTcpEchoTest {

  final List<RunningSample> open = new ArrayList<>();
  final List<String> log = new CopyOnWriteArrayList<>();

  RunningSample start(String image, List<String> command, List<String> args) throws Exception {
    Sample sample = SampleCatalog.forImage(image).orElseThrow();
    SampleContext.Builder b = SampleContext.builder(PodInfo.named("pod-x")).command(command).args(args)
        .log(log::add);
    sample.containerPorts(b.build()).forEach(p -> b.port(p, 0));
    RunningSample r = sample.start(b.build());
    open.add(r);
    return r;
  }

  @AfterEach
  void close() {
    open.forEach(RunningSample::close);
  }

  @Test
  void goHttpbin() throws Exception {
    RunningSample bin = start("docker.io/mccutchen/go-httpbin:v2.15.0", List.of(), List.of());
    assertThat(bin.ports()).containsOnlyKeys(8080);
    String base = "http://127.0.0.1:" + bin.port();
    HttpResponse<String> headers = Http.get(base + "/headers", "X-B3-Sampled", "1", "User-Agent", "curl/8.16.0");
    assertThat(headers.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    assertThat(headers.body()).startsWith("{\n  \"headers\": {\n").contains("    \"User-Agent\": [\n      \"curl/8.16.0\"\n    ]")
        .contains("\"X-B3-Sampled\": [\n      \"1\"\n    ]").contains("\"Host\": [\n      \"127.0.0.1:" + bin.port());
    String get = Http.get(base + "/get?a=1").body();
    assertThat(get).startsWith("{\n  \"args\": {\n    \"a\": [\n      \"1\"\n    ]\n  },\n  \"headers\": {")
        .contains("\"method\": \"GET\",\n  \"origin\": \"127.0.0.1:")
        .endsWith("\"url\": \"http://127.0.0.1:" + bin.port() + "/get?a=1\"\n}\n");
    assertThat(Http.get(base + "/status/418").statusCode()).isEqualTo(418);
    HttpResponse<String> ok = Http.get(base + "/status/200");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEmpty();
    assertThat(Http.get(base + "/status/abc").statusCode()).isEqualTo(400);
    assertThat(Http.get(base + "/ip").body()).startsWith("{\n  \"origin\": \"127.0.0.1:");
    HttpResponse<String> any = Http.send(HttpRequest.newBuilder(URI.create(base + "/anything/x"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"k\":1}")));
    assertThat(any.body()).contains("\"method\": \"POST\"").contains("\"data\": \"{\\\"k\\\":1}\"")
        .contains("\"json\": {\n    \"k\": 1\n  }");
    HttpResponse<String> delayed = Http.get(base + "/delay/0.2");
    assertThat(delayed.statusCode()).isEqualTo(200);
    assertThat(delayed.headers().firstValue("server-timing")).isPresent();
    assertThat(Http.get(base + "/delay/11").statusCode()).isEqualTo(400);
    assertThat(Http.get(base + "/nope").body()).isEqualTo("404 page not found\n");
    assertThat(log).anyMatch(l -> l.contains("msg=\"200 GET /get?a=1 "));
  }

  @Test
  void pythonHttpbinAsTheMirroringTaskRunsIt() throws Exception {
    RunningSample bin = start("docker.io/kennethreitz/httpbin",
        List.of("gunicorn", "--access-logfile", "-", "-b", "0.0.0.0:80", "httpbin:app", "-k", "gevent"), List.of());
    assertThat(bin.ports()).containsOnlyKeys(80);
    String base = "http://127.0.0.1:" + bin.port();
    String headers = Http.get(base + "/headers", "User-Agent", "curl/8.16.0", "X-Request-Id", "hidden").body();
    assertThat(headers).isEqualTo("{\n  \"headers\": {\n    \"Host\": \"127.0.0.1:" + bin.port()
        + "\",\n    \"User-Agent\": \"curl/8.16.0\"\n  }\n}\n");
    // gunicorn writes the access log after the response has gone out: wait for the line (bounded).
    String logLine = "127\\.0\\.0\\.1 - - \\[.*] \"GET /headers HTTP/1.1\" 200 \\d+ \"-\" \"curl/8.16.0\"";
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (log.stream().noneMatch(l -> l.matches(logLine)) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
    assertThat(log).anyMatch(l -> l.matches(logLine));
    assertThat(Http.get(base + "/get").body()).startsWith("{\n  \"args\": {},\n  \"headers\": {")
        .contains("\"origin\": \"127.0.0.1\",\n  \"url\": \"http://127.0.0.1:" + bin.port() + "/get\"\n}\n");
    HttpResponse<String> status = Http.get(base + "/status/503");
    assertThat(status.statusCode()).isEqualTo(503);
    assertThat(status.body()).isEmpty();
  }

  @Test
  void tcpEchoPrefixesEachLine() throws Exception {
    RunningSample one = start("registry.istio.io/release/tcp-echo-server:1.3", List.of(), List.of("9000,9001,9002", "one"));
    assertThat(one.ports()).containsOnlyKeys(9000, 9001, 9002);
    for (int port : one.ports().values()) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write("Mon Nov 12 23:24:57 UTC 2022\nsecond\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("one Mon Nov 12 23:24:57 UTC 2022");
        assertThat(in.readLine()).isEqualTo("one second");
      }
    }
  }
}
