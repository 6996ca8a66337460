package dev.sluice.it;

import static dev.sluice.it.ConformanceFiles.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.cli.CliRunner;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's httpbin tasks, each in its own namespace: ingress gateways (§8), circuit breaking with
 * the fortio client (§6), mirroring (§7). YAML that the task docs write inline is inline here.
 */
@ExtendWith(Mesh.Extension.class)
@Timeout(120)
class HttpbinTasksIT {
  final Mesh mesh = Mesh.get();

  @Test
  void ingressExposesOnlyTheRoutedPathsOfHttpbinExampleCom() {
    mesh.apply("ingress", samples("httpbin/httpbin.yaml"));
    //language=YAML
    String gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: httpbin-gateway
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port:
              number: 80
              name: http
              protocol: HTTP
            hosts:
            - "httpbin.example.com"
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: httpbin
        spec:
          hosts:
          - "httpbin.example.com"
          gateways:
          - httpbin-gateway
          http:
          - match:
            - uri:
                prefix: /status
            - uri:
                prefix: /delay
            route:
            - destination:
                port:
                  number: 8000
                host: httpbin
        """;
    mesh.applyYaml("ingress", gateway);
    mesh.awaitPods("ingress", 1);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> mesh.gateway("/status/200", "Host", "httpbin.example.com").statusCode() == 200);
    HttpResponse<String> ok = mesh.gateway("/status/200", "Host", "httpbin.example.com");
    assertThat(ok.headers().firstValue("server")).hasValue("istio-envoy");
    assertThat(mesh.gateway("/headers", "Host", "httpbin.example.com").statusCode()).isEqualTo(404);
    assertThat(mesh.gateway("/status/200", "Host", "other.example.com").statusCode()).isEqualTo(404);
  }

  @Test
  void circuitBreakingOverflowsWithTwoAndThreeConcurrentClients() {
    String ns = "cb";
    mesh.apply(ns, samples("httpbin/httpbin.yaml"), samples("httpbin/sample-client/fortio-deploy.yaml"));
    //language=YAML
    String dr = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: httpbin
        spec:
          host: httpbin
          trafficPolicy:
            connectionPool:
              tcp:
                maxConnections: 1
              http:
                http1MaxPendingRequests: 1
                maxRequestsPerConnection: 1
            outlierDetection:
              consecutive5xxErrors: 1
              interval: 1s
              baseEjectionTime: 3m
              maxEjectionPercent: 100
        """;
    mesh.applyYaml(ns, dr);
    mesh.awaitPods(ns, 2);
    String cp = mesh.api();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> CliRunner.run("exec",
        "fortio-deploy", "-n", ns, "--control-plane", cp, "--", "fortio", "curl", "-quiet",
        "http://httpbin:8000/get").out().startsWith("HTTP/1.1 200 OK"));
    boolean both2 = false;
    for (int attempt = 0; attempt < 5 && !both2; attempt++) {
      String out = CliRunner.run("exec", "fortio-deploy", "-n", ns, "--control-plane", cp, "--", "fortio", "load",
          "-c", "2", "-qps", "0", "-n", "20", "-loglevel", "Warning", "http://httpbin:8000/get").out();
      System.out.println(out);
      both2 = out.contains("Code 200 :") && out.contains("Code 503 :");
    }
    String three = CliRunner.run("exec", "fortio-deploy", "-n", ns, "--control-plane", cp, "--", "fortio", "load",
        "-c", "3", "-qps", "0", "-n", "30", "-loglevel", "Warning", "http://httpbin:8000/get").out();
    System.out.println(three);
    assertThat(three).contains("Code 200 :", "Code 503 :", "All done 30 calls");
    assertThat(both2).as("2 concurrent clients: some 200, some 503 (5 attempts)").isTrue();
  }

  @Test
  void mirroringSendsEveryRequestToV2Too() throws Exception {
    String ns = "mirror";
    //language=YAML
    String apps = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: httpbin-v1
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: httpbin
              version: v1
          template:
            metadata:
              labels:
                app: httpbin
                version: v1
            spec:
              containers:
              - image: docker.io/kennethreitz/httpbin
                imagePullPolicy: IfNotPresent
                name: httpbin
                command: ["gunicorn", "--access-logfile", "-", "-b", "0.0.0.0:80", "httpbin:app"]
                ports:
                - containerPort: 80
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: httpbin-v2
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: httpbin
              version: v2
          template:
            metadata:
              labels:
                app: httpbin
                version: v2
            spec:
              containers:
              - image: docker.io/kennethreitz/httpbin
                imagePullPolicy: IfNotPresent
                name: httpbin
                command: ["gunicorn", "--access-logfile", "-", "-b", "0.0.0.0:80", "httpbin:app"]
                ports:
                - containerPort: 80
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: httpbin
          labels:
            app: httpbin
        spec:
          ports:
          - name: http
            port: 8000
            targetPort: 80
          selector:
            app: httpbin
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: httpbin
        spec:
          hosts:
          - httpbin
          http:
          - route:
            - destination:
                host: httpbin
                subset: v1
              weight: 100
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: httpbin
        spec:
          host: httpbin
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
        """;
    mesh.applyYaml(ns, apps);
    mesh.apply(ns, samples("sleep/sleep.yaml"));
    mesh.awaitPods(ns, 3);
    HttpClient sleep = mesh.podClient(ns, "sleep");
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> Mesh.get(sleep, "http://httpbin:8000/headers").statusCode() == 200);
    assertThat(Mesh.get(sleep, "http://httpbin:8000/headers").body()).contains("\"Host\": \"httpbin:8000\"");
    assertThat(logs(ns, "httpbin-v1")).anyMatch(l -> l.contains("\"GET /headers HTTP/1.1\" 200"));
    assertThat(logs(ns, "httpbin-v2")).noneMatch(l -> l.contains("GET /headers"));
    //language=YAML
    String mirror = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: httpbin
        spec:
          hosts:
          - httpbin
          http:
          - route:
            - destination:
                host: httpbin
                subset: v1
              weight: 100
            mirror:
              host: httpbin
              subset: v2
            mirrorPercentage:
              value: 100.0
        """;
    mesh.applyYaml(ns, mirror);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      Mesh.get(sleep, "http://httpbin:8000/headers");
      return logs(ns, "httpbin-v2").stream().anyMatch(l -> l.contains("GET /headers HTTP/1.1"));
    });
    // Baselines once the logs are quiet: the app logs a request after answering it, and the mirror
    // is fire-and-forget, so the probes above may still be landing.
    long[] before = settledCounts(ns);
    long v1Before = before[0];
    long v2Before = before[1];
    for (int i = 0; i < 10; i++) {
      assertThat(Mesh.get(sleep, "http://httpbin:8000/headers").statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(count(logs(ns, "httpbin-v1")) - v1Before).isEqualTo(10);
      assertThat(count(logs(ns, "httpbin-v2")) - v2Before).as("every request mirrored to v2").isEqualTo(10);
    });
  }

  /** The v1 and v2 request counts once they have not changed for 300 ms. */
  private long[] settledCounts(String ns) throws InterruptedException {
    long[] last = {-1, -1};
    for (int i = 0; i < 100; i++) {
      long[] now = {count(logs(ns, "httpbin-v1")), count(logs(ns, "httpbin-v2"))};
      if (now[0] == last[0] && now[1] == last[1]) {
        return now;
      }
      last = now;
      Thread.sleep(300);
    }
    return last;
  }

  private static long count(List<String> lines) {
    return lines.stream().filter(l -> l.contains("GET /headers HTTP/1.1")).count();
  }

  private List<String> logs(String ns, String pod) {
    return mesh.platform.logs(ns, pod).orElseThrow();
  }
}
