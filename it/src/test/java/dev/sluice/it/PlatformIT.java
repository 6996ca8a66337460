package dev.sluice.it;

import static dev.sluice.it.ConformanceFiles.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.cli.CliRunner;
import dev.sluice.registry.WorkloadInstance;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform itself, through the CLI where a user would use it: a container {@code command} runs
 * as a process and is restarted with back-off when it dies (its endpoint withdrawn meanwhile),
 * deleted pods are replaced, invalid config is refused whole, {@code get}/{@code exec}/{@code logs}
 * work, and how fast a new VirtualService reaches the gateway.
 */
@ExtendWith(Mesh.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class PlatformIT {
  static final String NS = "platform";
  Mesh mesh;
  int appPort;

  @BeforeAll
  void start() throws IOException {
    mesh = Mesh.get();
    try (ServerSocket s = new ServerSocket(0)) {
      appPort = s.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    //language=YAML
    String yaml = """
        apiVersion: v1
        kind: Service
        metadata: {name: hello}
        spec:
          ports: [{port: 5000, name: http, targetPort: %d}]
          selector: {app: hello}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: hello}
        spec:
          selector: {matchLabels: {app: hello}}
          template:
            metadata: {labels: {app: hello, version: v1}}
            spec:
              containers:
              - name: hello
                image: example.com/hello:1
                command: ["%s", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", "$(CP)", "dev.sluice.samples.SampleMain"]
                args: ["helloworld-v1", "--port", "$(PORT)", "--bind", "127.0.0.1"]
                env: [{name: CP, value: "%s"}, {name: SERVICE_VERSION, value: v1}]
                ports: [{containerPort: %d}]
        """.formatted(appPort, java, System.getProperty("java.class.path"), appPort);
    mesh.applyYaml(NS, yaml);
    mesh.apply(NS, samples("sleep/sleep.yaml"));
    mesh.awaitPods(NS, 2);
  }

  String cp() {
    return mesh.api();
  }

  Optional<WorkloadInstance> hello() {
    return mesh.cp.registry().instances().stream().filter(w -> w.namespace().equals(NS) && w.name().startsWith("hello-"))
        .findFirst();
  }

  @Test
  void aDeadAppProcessIsRestartedAndItsEndpointWithdrawnMeanwhile(@TempDir Path tmp) throws Exception {
    HttpbinClient sleep = new HttpbinClient(mesh, NS, "sleep");
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> sleep.get("http://hello:5000/hello").statusCode() == 200);
    long pid = mesh.platform.appPid(NS, "hello").orElseThrow();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .until(() -> hello().map(w -> !w.healthy()).orElse(false));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> hello().map(WorkloadInstance::healthy).orElse(false));
    assertThat(mesh.platform.appPid(NS, "hello")).isPresent().get().isNotEqualTo(pid);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> sleep.get("http://hello:5000/hello").statusCode() == 200);
    CliRunner.Result pods = CliRunner.run("get", "pods", "-n", NS, "--control-plane", cp());
    assertThat(pods.out()).startsWith("NAME").contains("READY", "STATUS", "RESTARTS", "AGE");
    assertThat(pods.out().lines().filter(l -> l.startsWith("hello-")).findFirst().orElseThrow())
        .matches("hello-\\S+\\s+2/2\\s+Running\\s+1\\s+\\S+");
    // exec: curl from the sleep pod goes through its sidecar, by service name.
    Path out = tmp.resolve("out.txt");
    CliRunner.Result exec = CliRunner.run("exec", "sleep", "-n", NS, "--control-plane", cp(), "--", "sh", "-c",
        "curl -s http://hello:5000/hello > " + out);
    assertThat(exec.code()).as(exec.err()).isZero();
    assertThat(Files.readString(out)).startsWith("Hello version: v1, instance: hello-");
    assertThat(CliRunner.run("logs", "hello", "-n", NS, "--control-plane", cp()).out()).contains("app exited with");
  }

  @Test
  void aDeletedPodIsReplacedAndTheServiceKeepsAnswering() {
    HttpbinClient sleep = new HttpbinClient(mesh, NS, "sleep");
    String before = mesh.platform.resolvePod(NS, "sleep").orElseThrow();
    CliRunner.Result r = CliRunner.run("delete", "pod", before, "-n", NS, "--control-plane", cp());
    assertThat(r.out()).isEqualTo("pod \"" + before + "\" deleted\n");
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> mesh.platform.resolvePod(NS, "sleep").filter(n -> !n.equals(before)).isPresent());
    mesh.awaitPods(NS, 2);
    HttpbinClient replaced = new HttpbinClient(mesh, NS, "sleep");
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> replaced.get("http://hello:5000/hello").statusCode() == 200);
    assertThat(sleep).isNotNull();
  }

  @Test
  void invalidConfigIsRefusedWholeWithTheValidationMessage() {
    //language=YAML
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: good}
        spec:
          hosts: [hello]
          http: [{route: [{destination: {host: hello}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: bad}
        spec:
          hosts: [hello]
          http: [{route: [{destination: {host: hello}}], timeout: -1s}]
        """;
    var r = mesh.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(mesh.api() + "/apis/config?namespace=" + NS))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(yaml)));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("virtualservice.networking.istio.io/bad rejected", "timeout", "nothing applied");
    assertThat(CliRunner.run("get", "vs", "-n", NS, "--control-plane", cp()).err()).contains("No resources found");
  }

  @Test
  void aNewVirtualServiceTakesEffectAtTheGatewayQuickly() {
    mesh.applyYaml(NS, """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: probe}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["probe.example.com"]}]
        """);
    // The gateway's listener for port 80 (target port 8080) may be new: wait until it accepts, so
    // that only the VirtualService's latency is measured below.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> mesh.gateway("/", "Host", "probe.example.com").statusCode() == 404);
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String path = "/probe-" + i;
      String vs = """
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: probe-%d}
          spec:
            hosts: ["probe.example.com"]
            gateways: [probe]
            http: [{match: [{uri: {prefix: "%s"}}], rewrite: {uri: /hello}, route: [{destination: {host: hello, port: {number: 5000}}}]}]
          """.formatted(i, path);
      long t0 = System.nanoTime();
      mesh.applyYaml(NS, vs);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
          .until(() -> mesh.gateway(path, "Host", "probe.example.com").statusCode() == 200);
      millis.add((System.nanoTime() - t0) / 1_000_000);
    }
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.println("[measure] new VirtualService → effective at the gateway: " + millis + " ms, median "
        + sorted.get(sorted.size() / 2) + " ms");
    assertThat(sorted.get(sorted.size() / 2)).isLessThan(1000);
  }

  /** HTTP "in" a pod (through its sidecar). */
  record HttpbinClient(java.net.http.HttpClient client) {
    HttpbinClient(Mesh mesh, String ns, String pod) {
      this(mesh.podClient(ns, pod));
    }

    java.net.http.HttpResponse<String> get(String url) {
      return Mesh.get(client, url);
    }
  }
}
