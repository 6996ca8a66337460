package dev.sluice.it;

import static dev.sluice.it.ConformanceFiles.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TCP traffic shifting (tasks.md §4) in namespace {@code istio-io-tcp-traffic-shifting}:
 * tcp-echo v1/v2 behind the gateway's port 31400, all to v1, then 80/20 per connection.
 */
@ExtendWith(Mesh.Extension.class)
@Timeout(120)
class TcpTrafficShiftingIT {
  static final String NS = "istio-io-tcp-traffic-shifting";
  final Mesh mesh = Mesh.get();

  String echo(String line) {
    try (Socket s = new Socket("127.0.0.1", mesh.platform.gatewayPort(31400))) {
      s.setSoTimeout(5000);
      s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
      return reply == null ? "" : reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int twoIn(int n) {
    int two = 0;
    for (int i = 0; i < n; i++) {
      String r = echo("hello " + i);
      assertThat(r).matches("(one|two) hello " + i);
      two += r.startsWith("two ") ? 1 : 0;
    }
    return two;
  }

  @Test
  void allToV1ThenEightyTwentyPerConnection() {
    mesh.apply(NS, samples("tcp-echo/tcp-echo-services.yaml"), samples("tcp-echo/tcp-echo-all-v1.yaml"));
    mesh.awaitPods(NS, 2);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> echo("hi").equals("one hi"));
    assertThat(twoIn(20)).isZero();
    mesh.apply(NS, samples("tcp-echo/tcp-echo-20-v2.yaml"));
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).ignoreExceptions()
        .until(() -> echo("x").startsWith("two "));
    assertThat(twoIn(100)).isBetween(8, 35);
  }
}
