package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful drain: 100 requests in flight at shutdown all complete; the proxy stops within the drain time. */
@Timeout(60)
class DrainTest {

  @Test
  void hundredInFlightRequestsCompleteOnShutdown() throws Exception {
    try (EchoUpstream up = new EchoUpstream("up")) {
      // Answers wait until the proxy is draining: no assumption about how fast 100 requests arrive.
      up.hold = new CompletableFuture<>();
      //language=YAML
      String yaml = """
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
          """.formatted(up.port());
      SluiceProxy proxy = SluiceProxy.start(ProxyOptions.ofYaml(yaml).withDrainTime(Duration.ofSeconds(5)));
      int port = proxy.listenerPort("http");
      ExecutorService ex = Executors.newFixedThreadPool(100);
      List<CompletableFuture<String>> replies = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = i;
        replies.add(CompletableFuture.supplyAsync(() -> {
          try {
            // Keep-alive requests: the proxy must ask the client to close.
            return RawHttp.exchange(port, "GET /r/" + n + " HTTP/1.1\r\nHost: x\r\n\r\n");
          } catch (IOException e) {
            return "failed: " + e;
          }
        }, ex));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> up.requests.get() == 100);
      long t0 = System.nanoTime();
      Thread closer = Thread.ofPlatform().start(proxy::close);
      // Stops accepting at once.
      await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
          assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class));
      up.hold.complete(null);
      for (var r : replies) {
        String reply = r.get();
        assertThat(reply).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
      }
      closer.join(Duration.ofSeconds(10));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.println("drain: 100 in-flight requests completed, proxy closed after " + took.toMillis() + " ms");
      assertThat(closer.isAlive()).isFalse();
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      ex.shutdown();
    }
  }
}
