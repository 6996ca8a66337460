package dev.sluice.proxy.internal;

import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

/** What an access log line can show about one finished request (Envoy's stream info). */
final class LogEntry {
  long startEpochMillis;
  long durationMillis;
  String method = "-";
  String path = "-";
  @Nullable String originalPath;
  String protocol = "HTTP/1.1";
  int responseCode;
  String flags = "-";
  String details = "-";
  String terminationDetails = "-";
  String transportFailure = "-";
  long bytesReceived;
  long bytesSent;
  @Nullable String upstreamServiceTime;
  @Nullable String upstreamHost;
  @Nullable String upstreamCluster;
  /** The upstream cluster's Istio services metadata (for Istio's destination_service labels). */
  java.util.List<dev.sluice.proxy.core.cluster.Cluster.IstioService> upstreamServices = java.util.List.of();
  @Nullable String upstreamLocal;
  String downstreamLocal = "-";
  String downstreamRemote = "-";
  @Nullable String routeName;
  @Nullable HttpHeaders requestHeaders;
  @Nullable HttpHeaders responseHeaders;

  @Nullable String requestHeader(String name) {
    return requestHeaders == null ? null : requestHeaders.get(name);
  }
}
