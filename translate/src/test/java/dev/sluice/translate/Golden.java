package dev.sluice.translate;

import dev.sluice.testing.ConformanceFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Message;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LoadResult;
import dev.sluice.config.Resource;
import dev.sluice.registry.InMemoryConfigStore;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.WorkloadInstance;
import dev.sluice.registry.kube.KubeWorkloads;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Golden-case plumbing: reads a case's {@code input.yaml} (a {@code GoldenCase} document naming
 * upstream sources under {@code ../shared/conformance} and the proxy, plus inline config),
 * builds the snapshot, and renders protos as YAML with sorted keys.
 */
final class Golden {
  private Golden() {}

  static final Path ROOT = Path.of("src/test/resources/golden");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  static final ObjectMapper JSON = new ObjectMapper();

  /** A loaded case: the snapshot and the proxy. */
  record Case(MeshSnapshot snapshot, ProxyNode proxy, List<String> rejected) {}

  static Case load(Path dir) throws IOException {
    String text = Files.readString(dir.resolve("input.yaml"));
    JsonNode spec = null;
    for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()) {
      if (doc != null && "GoldenCase".equals(doc.path("kind").asText())) {
        spec = doc;
      }
    }
    if (spec == null) {
      throw new IllegalArgumentException(dir + "/input.yaml: no GoldenCase document");
    }
    ConfigLoader loader = new ConfigLoader();
    LoadResult all = LoadResult.empty();
    for (JsonNode src : spec.path("sources")) {
      Path p = src.asText().startsWith("golden/") ? ROOT.resolve(src.asText().substring(7))
          : ConformanceFiles.root().resolve(src.asText());
      all = all.plus(loader.load(p.toString(), new StringReader(Files.readString(p))));
    }
    all = all.plus(loader.load(dir + "/input.yaml", new StringReader(text)));
    if (!all.problems().isEmpty()) {
      throw new IllegalArgumentException("load problems: " + all.problems());
    }
    List<Resource> resources = all.resources().stream().map(r -> r.withDefaultNamespace("default")).toList();
    InMemoryConfigStore store = new InMemoryConfigStore();
    List<String> rejected = new ArrayList<>();
    for (var r : store.replaceAll(resources)) {
      if (r.status() == dev.sluice.registry.ApplyResult.Status.REJECTED) {
        rejected.add(r.line());
      }
    }
    List<Resource> platform = resources.stream().filter(r -> !r.kind().isIstio()).toList();
    List<MeshService> services = KubeWorkloads.services(platform, "cluster.local");
    List<WorkloadInstance> instances = local(spec.path("proxy"), KubeWorkloads.instances(platform));
    MeshSnapshot snapshot = MeshSnapshot.build(services, instances, store.list(), "1");
    return new Case(snapshot, proxy(spec.path("proxy"), instances), rejected);
  }

  /**
   * The local platform's shape ({@code local: true}): every instance on 127.0.0.1 publishing its
   * container ports at 20000 + its index × 10 + the port's position (the sidecar's inbound listeners).
   */
  static List<WorkloadInstance> local(JsonNode p, List<WorkloadInstance> instances) {
    if (!p.path("local").asBoolean(false)) {
      return instances;
    }
    List<WorkloadInstance> out = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      WorkloadInstance w = instances.get(i);
      Map<Integer, Integer> published = new TreeMap<>();
      int j = 0;
      for (int port : new java.util.TreeSet<>(w.ports().values())) {
        published.put(port, 20000 + i * 10 + j++);
      }
      for (int port : List.of(9080, 5000, 8080)) {
        published.putIfAbsent(port, 20000 + i * 10 + j++);
      }
      out.add(new WorkloadInstance(w.name(), w.namespace(), "127.0.0.1", w.labels(), w.serviceAccount(), w.ports(),
          w.healthy(), w.services(), published));
    }
    return out;
  }

  /** {@code {deployment: productpage-v1}} for a sidecar of that workload, or a router with labels. */
  static ProxyNode proxy(JsonNode p, List<WorkloadInstance> instances) {
    Map<String, String> labels = new TreeMap<>();
    p.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    String ns = p.path("namespace").asText("default");
    if (p.has("router")) {
      ProxyNode router = ProxyNode.router(p.path("router").asText(), ns, "10.244.255.1", labels);
      Map<Integer, Integer> bind = new TreeMap<>();
      p.path("listenerPorts").fields().forEachRemaining(e -> bind.put(Integer.parseInt(e.getKey()), e.getValue().asInt()));
      return router.withListenerPorts(bind);
    }
    String deployment = p.path("deployment").asText();
    for (WorkloadInstance w : instances) {
      if (w.name().startsWith(deployment + "-") && w.namespace().equals(ns)) {
        ProxyNode n = ProxyNode.sidecar(w.name(), ns, w.address(), w.labels());
        Map<Integer, Integer> app = new TreeMap<>();
        p.path("appPorts").fields().forEachRemaining(e -> app.put(Integer.parseInt(e.getKey()), e.getValue().asInt()));
        n = n.withAppPorts(app);
        return p.path("httpProxy").asBoolean(false) ? n.withHttpProxyPort(15080) : n;
      }
    }
    throw new IllegalArgumentException("no instance of deployment " + deployment + " in " + ns);
  }

  /** Resources as a YAML list with sorted keys. */
  static String render(List<? extends Message> resources) throws IOException {
    List<Object> out = new ArrayList<>();
    for (Message m : resources) {
      out.add(JSON.readValue(XdsTypes.toJson(m), Object.class));
    }
    return out.isEmpty() ? "[]\n" : YAML.writeValueAsString(sortDeep(out));
  }

  @SuppressWarnings("unchecked")
  private static Object sortDeep(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> t = new TreeMap<>();
      m.forEach((k, v) -> t.put((String) k, sortDeep(v)));
      return t;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(Golden::sortDeep).toList();
    }
    return o;
  }

  /** A unified diff of two texts (LCS over lines), with three lines of context. */
  static String diff(String expectedName, String expected, String actualName, String actual) {
    String[] a = expected.split("\n", -1);
    String[] b = actual.split("\n", -1);
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> ops = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        ops.add(" " + a[i++]);
        j++;
      } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
        ops.add("+" + b[j++]);
      } else {
        ops.add("-" + a[i++]);
      }
    }
    StringBuilder sb = new StringBuilder("--- " + expectedName + "\n+++ " + actualName + "\n");
    int last = -10;
    for (int k = 0; k < ops.size(); k++) {
      boolean near = false;
      for (int d = -3; d <= 3 && !near; d++) {
        int x = k + d;
        near = x >= 0 && x < ops.size() && ops.get(x).charAt(0) != ' ';
      }
      if (near) {
        if (k != last + 1) {
          sb.append("@@ line ").append(k + 1).append(" @@\n");
        }
        sb.append(ops.get(k)).append('\n');
        last = k;
      }
    }
    return sb.toString();
  }
}
