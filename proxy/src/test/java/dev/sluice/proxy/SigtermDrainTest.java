package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's acceptance check with a real signal: {@link ProxyMain} runs as its own JVM, 100
 * requests are held by a slow loopback upstream, the process gets SIGTERM ({@link
 * Process#destroy()} on Linux); every request completes with 200 and the process exits within
 * the drain time.
 */
@Timeout(90)
class SigtermDrainTest {
  private static final Pattern READY = Pattern.compile("sluice-proxy ready: .*listeners \\{.*http=(\\d+)");
  private static final Duration DRAIN = Duration.ofSeconds(5);

  @Test
  void sigtermWithHundredInFlightRequests(@TempDir Path dir) throws Exception {
    try (EchoUpstream up = new EchoUpstream("up")) {
      up.forcedDelayMs = 2500; // still in flight when SIGTERM arrives
      Path config = dir.resolve("envoy.yaml");
      //language=YAML
      Files.writeString(config, """
          static_resources:
            listeners:
            - name: http
              address: {socket_address: {address: 127.0.0.1, port_value: 0}}
              filter_chains:
              - filters:
                - name: envoy.filters.network.http_connection_manager
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                    stat_prefix: in
                    route_config:
                      virtual_hosts: [{name: all, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: up}}]}]
            clusters:
            - name: up
              connect_timeout: 1s
              load_assignment: {cluster_name: up, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
          """.formatted(up.port()));
      String java = ProcessHandle.current().info().command().orElse(
          Path.of(System.getProperty("java.home"), "bin", "java").toString());
      Process proc = new ProcessBuilder(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
          "--sun-misc-unsafe-memory-access=allow",
          "-cp", System.getProperty("java.class.path"), ProxyMain.class.getName(),
          "-c", config.toString(), "--admin-port", "0", "--prometheus-port", "0", "--concurrency", "2",
          "--drain-time-s", Long.toString(DRAIN.toSeconds()))
          .redirectErrorStream(true)
          .start();
      ExecutorService ex = Executors.newFixedThreadPool(100);
      try {
        ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
              output.add(line);
              Matcher m = READY.matcher(line);
              if (m.find()) {
                port.complete(Integer.parseInt(m.group(1)));
              }
            }
          } catch (IOException e) {
            // the process is gone
          }
          port.completeExceptionally(new IllegalStateException("no ready line:\n" + String.join("\n", output)));
        });
        int p = port.get(30, TimeUnit.SECONDS);
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          int n = i;
          replies.add(CompletableFuture.supplyAsync(() -> {
            try {
              return RawHttp.exchange(p, "GET /r/" + n + " HTTP/1.1\r\nHost: x\r\n\r\n");
            } catch (IOException e) {
              return "failed: " + e;
            }
          }, ex));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> up.requests.get() == 100); // a loaded machine starts JVMs slowly
        long t0 = System.nanoTime();
        proc.destroy(); // SIGTERM
        for (var r : replies) {
          assertThat(r.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        }
        boolean exited = proc.waitFor(DRAIN.toMillis() + 2000, TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("SIGTERM drain: 100 in-flight requests answered 200, process exited after "
            + took.toMillis() + " ms (exit " + (exited ? proc.exitValue() : -1) + ")");
        assertThat(exited).as("exited; output:\n%s", String.join("\n", output)).isTrue();
        assertThat(took).isLessThan(DRAIN);
        assertThat(proc.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
      } finally {
        ex.shutdownNow();
        proc.destroyForcibly();
      }
    }
  }
}
