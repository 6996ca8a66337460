package dev.sluice.xds;

import java.util.Map;

/**
 * One connected proxy's sync state, as {@code /debug/syncz} and {@code sluice proxy-status} show it.
 *
 * @param proxy the node id
 * @param cluster the node's cluster ({@code --service-cluster}), or {@code Kubernetes}
 * @param status per short type ({@code cds}, {@code lds}, {@code eds}, {@code rds}): SYNCED, STALE,
 *     NOT SENT or ERROR
 * @param ages per short type: seconds since the last response was sent (-1 when never)
 * @param errors per short type: the last NACK's message, when the current response was rejected
 * @param version the control plane's version
 */
public record ProxyStatus(String proxy, String cluster, Map<String, String> status, Map<String, Long> ages,
    Map<String, String> errors, String version) {
  public ProxyStatus {
    status = Map.copyOf(status);
    ages = Map.copyOf(ages);
    errors = Map.copyOf(errors);
  }
}
