package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.controlplane.Sluiced;
import dev.sluice.platform.local.LocalPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One mesh for the whole suite (sluiced + the local platform on free ports), started by the first
 * test class that needs it and stopped when the test run ends (JUnit closes the root store's
 * values): every pod, sidecar and app process is stopped by its handle.
 *
 * <pre>{@code
 * @ExtendWith(Mesh.Extension.class)
 * class RequestRoutingIT { ... Mesh.get().apply("default", file) ... }
 * }</pre>
 */
final class Mesh implements AutoCloseable {
  private static volatile Mesh instance;

  final Sluiced cp;
  final LocalPlatform platform;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  private Mesh() {
    cp = Sluiced.start(Sluiced.Options.ephemeral());
    platform = LocalPlatform.start(cp, LocalPlatform.Options.ephemeral().withEvents(line -> System.out.println("[mesh] " + line)));
  }

  static Mesh get() {
    Mesh m = instance;
    if (m == null) {
      throw new IllegalStateException("no mesh: annotate the test class with @ExtendWith(Mesh.Extension.class)");
    }
    return m;
  }

  /** Starts the shared mesh once per run and closes it at the end of the run. */
  static final class Extension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(Mesh.class, k -> {
        Mesh m = new Mesh();
        instance = m;
        return m;
      }, Mesh.class);
    }
  }

  @Override
  public void close() {
    platform.close();
    cp.close();
    instance = null;
  }

  String api() {
    return "http://127.0.0.1:" + cp.httpPort();
  }

  /** {@code kubectl apply -n ns -f files...} through sluiced's API; fails the test when rejected. */
  String apply(String namespace, Path... files) {
    return applyYaml(namespace, read(files));
  }

  String applyYaml(String namespace, String yaml) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api() + "/apis/config?namespace=" + namespace))
        .POST(HttpRequest.BodyPublishers.ofString(yaml)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** {@code kubectl delete -n ns -f files...}. */
  void delete(String namespace, Path... files) {
    deleteYaml(namespace, read(files));
  }

  void deleteYaml(String namespace, String yaml) {
    send(HttpRequest.newBuilder(URI.create(api() + "/apis/delete?namespace=" + namespace))
        .POST(HttpRequest.BodyPublishers.ofString(yaml)));
  }

  private static String read(Path... files) {
    List<String> docs = new ArrayList<>();
    for (Path f : files) {
      try {
        docs.add(Files.readString(f));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return String.join("\n---\n", docs);
  }

  /** Waits until every pod of the namespace is ready (at least {@code count} of them). */
  void awaitPods(String namespace, int count) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
      var pods = platform.podReadiness().entrySet().stream().filter(e -> e.getKey().startsWith(namespace + "/"))
          .toList();
      return pods.size() >= count && pods.stream().allMatch(Map.Entry::getValue);
    });
  }

  /** A GET through the ingress gateway. */
  HttpResponse<String> gateway(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
        .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.GET());
  }

  /** Bookinfo's sign-in: {@code POST /login} with the form, returns the {@code session} cookie. */
  String login(String user) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Referer", platform.gatewayUrl() + "/productpage")
        .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&passwd=password")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    String cookie = r.headers().firstValue("set-cookie").orElseThrow();
    return cookie.substring(0, cookie.indexOf(';'));
  }

  /** An HTTP client "in" a pod: its outbound goes through the pod's sidecar ({@code http_proxy}). */
  HttpClient podClient(String ns, String pod) {
    String proxy = platform.execEnv(ns, pod).orElseThrow().get("http_proxy");
    URI u = URI.create(proxy);
    return HttpClient.newBuilder().proxy(java.net.ProxySelector.of(new java.net.InetSocketAddress(u.getHost(), u.getPort())))
        .connectTimeout(Duration.ofSeconds(2)).build();
  }

  static HttpResponse<String> get(HttpClient c, String url) {
    try {
      return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(url + ": " + e, e);
    }
  }

  HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
