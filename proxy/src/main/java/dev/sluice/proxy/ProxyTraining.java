package dev.sluice.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A short, representative proxy run for recording a JDK AOT cache (JEP 483/514/515): the
 * launcher runs {@code java -XX:AOTCacheOutput=FILE -cp sluice.jar dev.sluice.proxy.ProxyTraining}
 * once, and {@code sluice proxy} then starts with {@code -XX:AOTCache=FILE} (classes loaded and
 * linked ahead of time, method profiles ready). It starts a proxy from a static bootstrap file
 * with two HTTP listeners (a front one routing to a cluster whose endpoint is the second one,
 * which answers with a direct response), sends HTTP/1.1 keep-alive requests through it, reads
 * the admin pages a sidecar is asked for ({@code /ready}, {@code /stats}, {@code
 * /stats/prometheus}, {@code /clusters}), and stops. Only what a running proxy uses is loaded:
 * every class in the cache is loaded at each start, so nothing else (no HTTP client, no {@code
 * /config_dump}) is exercised here.
 */
public final class ProxyTraining {
  private ProxyTraining() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int backPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      backPort = s.getLocalPort();
    }
    //language=YAML
    String yaml = """
        node: {id: train, cluster: train}
        static_resources:
          listeners:
          - name: front
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: front
                  http_filters: [{name: envoy.filters.http.router, typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}]
                  route_config:
                    name: front
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: {prefix: /, headers: [{name: x-canary, string_match: {exact: "yes"}}]}
                        route: {cluster: back, timeout: 5s}
                      - match: {prefix: /}
                        route: {cluster: back, timeout: 0s}
          - name: back
            address: {socket_address: {address: 127.0.0.1, port_value: %d}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: back
                  http_filters: [{name: envoy.filters.http.router}]
                  route_config:
                    virtual_hosts: [{name: all, domains: ["*"], routes: [{match: {prefix: /}, direct_response: {status: 200, body: {inline_string: "trained"}}}]}]
          clusters:
          - name: back
            type: STATIC
            connect_timeout: 1s
            load_assignment: {cluster_name: back, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
        """.formatted(backPort, backPort);
    Path file = Files.createTempFile("sluice-train", ".yaml");
    try {
      Files.writeString(file, yaml);
      SluiceProxy proxy = SluiceProxy.start(new ProxyOptions(file.toString(), null, 0, "127.0.0.1", "warning", null,
          null, 1, java.time.Duration.ZERO, null));
      try {
        int front = proxy.listenerPort("front");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), front)) {
          for (int i = 0; i < requests; i++) {
            String extra = i % 2 == 0 ? "x-canary: yes\r\n" : "";
            exchange(s, "GET /train/" + i + "?q=" + i + " HTTP/1.1\r\nHost: train.local\r\n" + extra + "\r\n");
          }
        }
        for (String page : new String[] {"/ready", "/stats", "/stats/prometheus", "/clusters"}) {
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.adminPort())) {
            exchange(s, "GET " + page + " HTTP/1.1\r\nHost: admin\r\n\r\n");
          }
        }
      } finally {
        proxy.close();
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Sends one request and reads its response (Content-Length framed) on a keep-alive socket. */
  private static void exchange(Socket s, String request) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.append((char) c);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    if (!head.toString().startsWith("HTTP/1.1 200")) {
      throw new IOException("unexpected response: " + head.toString().lines().findFirst().orElse(""));
    }
  }
}
