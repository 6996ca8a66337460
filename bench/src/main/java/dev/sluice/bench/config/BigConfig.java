package dev.sluice.bench.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates a mesh configuration of a given size: per service a Service, a Deployment for each of
 * versions v1 and v2, a DestinationRule with two subsets and a VirtualService with a header rule
 * and an 80/20 split, spread over ten namespaces.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.sluice.bench.config.BigConfig 10000 /tmp/big.yaml
 * }</pre>
 */
public final class BigConfig {
  private BigConfig() {}

  /** About {@code resources} objects of YAML (rounded to whole services). */
  public static String generate(int resources) {
    int services = Math.max(1, resources / 5);
    StringBuilder y = new StringBuilder(services * 1_600);
    for (int i = 0; i < services; i++) {
      String ns = "ns" + (i % 10);
      String name = "svc" + i;
      y.append("""
          apiVersion: v1
          kind: Service
          metadata: {name: %1$s, namespace: %2$s, labels: {app: %1$s}}
          spec:
            selector: {app: %1$s}
            ports:
            - {name: http, port: 9080}
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: %1$s-v1, namespace: %2$s}
          spec:
            selector: {matchLabels: {app: %1$s, version: v1}}
            template:
              metadata: {labels: {app: %1$s, version: v1}}
              spec:
                containers:
                - {name: app, image: example/%1$s:1, ports: [{containerPort: 9080}]}
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: %1$s-v2, namespace: %2$s}
          spec:
            selector: {matchLabels: {app: %1$s, version: v2}}
            template:
              metadata: {labels: {app: %1$s, version: v2}}
              spec:
                containers:
                - {name: app, image: example/%1$s:2, ports: [{containerPort: 9080}]}
          ---
          apiVersion: networking.istio.io/v1
          kind: DestinationRule
          metadata: {name: %1$s, namespace: %2$s}
          spec:
            host: %1$s
            trafficPolicy:
              connectionPool: {tcp: {maxConnections: 100}, http: {http1MaxPendingRequests: 10}}
              outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}
            subsets:
            - {name: v1, labels: {version: v1}}
            - {name: v2, labels: {version: v2}}
          ---
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: %1$s, namespace: %2$s}
          spec:
            hosts: [%1$s]
            http:
            - match:
              - headers: {end-user: {exact: jason}}
                uri: {prefix: /api}
              route:
              - destination: {host: %1$s, subset: v2}
              timeout: 3s
            - route:
              - {destination: {host: %1$s, subset: v1}, weight: 80}
              - {destination: {host: %1$s, subset: v2}, weight: 20}
              retries: {attempts: 2, perTryTimeout: 1s}
          ---
          """.formatted(name, ns));
    }
    return y.toString();
  }

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path out = Path.of(args.length > 1 ? args[1] : "big-config.yaml");
    Files.writeString(out, generate(n));
    System.out.println("wrote " + out + " (" + Files.size(out) + " bytes, " + (n / 5 * 5) + " resources)");
  }
}
