package dev.sluice.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders Prometheus HTTP service discovery output ({@code http_sd_configs}) for the control plane
 * to serve at {@code http://127.0.0.1:15014/debug/prometheus_sd}:
 * <pre>{@code
 * [{"targets":["127.0.0.1:41234"],"labels":{"__metrics_path__":"/stats/prometheus","pod":"reviews-v2-1","namespace":"bookinfo","app":"reviews"}}]
 * }</pre>
 * One group per target, so each keeps its own labels; {@code __metrics_path__} tells Prometheus
 * the path (Istio's {@code prometheus.io/path} annotation plays that part on Kubernetes).
 */
public final class PrometheusSd {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrometheusSd() {}

  /** The JSON document, Content-Type {@code application/json}. */
  public static String render(List<ScrapeTarget> targets) {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (ScrapeTarget t : targets) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("__metrics_path__", t.path());
      if (t.url().getScheme() != null && !t.url().getScheme().equals("http")) {
        labels.put("__scheme__", t.url().getScheme());
      }
      labels.put("pod", t.pod());
      labels.put("namespace", t.namespace());
      labels.put("app", t.app());
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("targets", List.of(t.hostPort()));
      group.put("labels", labels);
      groups.add(group);
    }
    try {
      return JSON.writeValueAsString(groups);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
