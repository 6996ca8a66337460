package dev.sluice.proxy.internal;

import java.util.TreeMap;

/** The {@code /clusters} admin page: per-cluster settings and per-host counters, Envoy's layout. */
final class AdminClusters {
  private AdminClusters() {}

  static String render(ConfigSnapshot snap, boolean json) {
    StringBuilder sb = new StringBuilder();
    var sorted = new TreeMap<>(snap.clusters());
    if (json) {
      sb.append("{\"cluster_statuses\":[");
      boolean firstC = true;
      for (var c : sorted.values()) {
        sb.append(firstC ? "" : ",").append("{\"name\":\"").append(c.name()).append("\",\"host_statuses\":[");
        firstC = false;
        boolean first = true;
        for (HostRuntime h : c.hosts) {
          String failed = c.outlier != null && h.outlier.ejected() ? ",\"failed_outlier_check\":true" : "";
          sb.append(first ? "" : ",").append("{\"address\":{\"socket_address\":{\"address\":\"")
              .append(h.endpoint.address()).append("\",\"port_value\":").append(h.endpoint.port())
              .append("}},\"stats\":[{\"name\":\"rq_total\",\"value\":\"").append(h.rqTotal.sum())
              .append("\"},{\"name\":\"rq_active\",\"value\":\"").append(h.activeRequests.get())
              .append("\"},{\"name\":\"cx_active\",\"value\":\"").append(h.activeConnections.get())
              .append("\"},{\"name\":\"rq_error\",\"value\":\"").append(h.rqError.sum())
              .append("\"}],\"health_status\":{\"eds_health_status\":\"").append(h.endpoint.health())
              .append('"').append(failed).append("},\"weight\":").append(h.endpoint.weight()).append(",\"priority\":")
              .append(h.endpoint.priority()).append('}');
          first = false;
        }
        sb.append("]}");
      }
      return sb.append("]}\n").toString();
    }
    for (var c : sorted.values()) {
      String n = c.name();
      var cb = c.cluster.circuitBreakers();
      sb.append(n).append("::observability_name::").append(n).append('\n');
      sb.append(n).append("::default_priority::max_connections::").append(cb.maxConnections()).append('\n');
      sb.append(n).append("::default_priority::max_pending_requests::").append(cb.maxPendingRequests()).append('\n');
      sb.append(n).append("::default_priority::max_requests::").append(cb.maxRequests()).append('\n');
      sb.append(n).append("::default_priority::max_retries::").append(cb.maxRetries()).append('\n');
      sb.append(n).append("::added_via_api::").append(c.cluster.type() == dev.sluice.proxy.core.cluster.Cluster.DiscoveryType.EDS).append('\n');
      for (HostRuntime h : c.hosts) {
        String p = n + "::" + h.hostPort + "::";
        sb.append(p).append("cx_active::").append(h.activeConnections.get()).append('\n');
        sb.append(p).append("cx_connect_fail::").append(h.cxConnectFail.sum()).append('\n');
        sb.append(p).append("rq_active::").append(h.activeRequests.get()).append('\n');
        sb.append(p).append("rq_error::").append(h.rqError.sum()).append('\n');
        sb.append(p).append("rq_total::").append(h.rqTotal.sum()).append('\n');
        sb.append(p).append("weight::").append(h.endpoint.weight()).append('\n');
        sb.append(p).append("priority::").append(h.endpoint.priority()).append('\n');
        String flags = h.endpoint.health().isHealthy() ? "" : "/eds_health_status/" + h.endpoint.health();
        if (c.outlier != null && h.outlier.ejected()) {
          flags += "/failed_outlier_check";
        }
        sb.append(p).append("health_flags::").append(flags.isEmpty() ? "healthy" : flags).append('\n');
        if (c.outlier != null) {
          sb.append(p).append("num_ejections::").append(h.outlier.numEjections()).append('\n');
        }
      }
    }
    return sb.toString();
  }
}
