package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice get TYPE [NAME...] [-n NS | -A] [-o yaml|json|wide|name]} with kubectl's columns:
 * pods ({@code NAME READY STATUS RESTARTS AGE}), services, deployments, virtualservices,
 * destinationrules, gateways, serviceentries.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = {"List objects of the local mesh, as kubectl does: pods, services, deployments,",
        "virtualservices, destinationrules, gateways, serviceentries (and their short names)."})
public final class GetCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TYPE", description = "What to list.")
  String type;

  @Parameters(index = "1..*", paramLabel = "NAME", description = "Only these.")
  List<String> names = new ArrayList<>();

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "All namespaces.")
  boolean all;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "yaml, json, wide or name.")
  String output;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  /** The kind for a kubectl type name ({@code vs}, {@code pods}, ...), or null. */
  static @Nullable String kind(String type) {
    return switch (type.toLowerCase(Locale.ROOT).replaceAll("\\..*", "")) {
      case "po", "pod", "pods" -> "Pod";
      case "svc", "service", "services" -> "Service";
      case "deploy", "deployment", "deployments" -> "Deployment";
      case "vs", "virtualservice", "virtualservices" -> "VirtualService";
      case "dr", "destinationrule", "destinationrules" -> "DestinationRule";
      case "gw", "gateway", "gateways" -> "Gateway";
      case "se", "serviceentry", "serviceentries" -> "ServiceEntry";
      default -> null;
    };
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String kind = kind(type);
    if (kind == null) {
      err.println("error: the server doesn't have a resource type \"" + type + "\"");
      return 1;
    }
    List<JsonNode> items;
    try {
      items = fetch(MeshClient.of(controlPlane), kind);
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    if (items.isEmpty()) {
      if (!names.isEmpty()) {
        err.println("Error from server (NotFound): " + type + " \"" + names.getFirst() + "\" not found");
        return 1;
      }
      if (output == null || output.equals("wide")) {
        err.println("No resources found" + (all ? "" : " in " + namespace + " namespace") + ".");
        return 0;
      }
    }
    try {
      print(out, kind, items);
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  private List<JsonNode> fetch(MeshClient mesh, String kind) throws IOException {
    String ns = all ? "" : "?namespace=" + namespace;
    MeshClient.Reply r = switch (kind) {
      case "Pod" -> mesh.get("/platform/pods" + ns);
      case "Service" -> mesh.get("/platform/services" + ns);
      case "Deployment" -> mesh.get("/platform/deployments" + ns);
      default -> mesh.get("/apis/config");
    };
    if (!r.ok()) {
      throw new IOException(r.body().strip());
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : JSON.readTree(r.body())) {
      String k = n.path("kind").asText();
      String nns = n.path("metadata").path("namespace").asText();
      String name = n.path("metadata").path("name").asText();
      if (k.equals(kind) && (all || nns.equals(namespace)) && (names.isEmpty() || names.contains(name)
          || kind.equals("Pod") && names.stream().anyMatch(name::startsWith))) {
        out.add(n);
      }
    }
    return out;
  }

  private void print(PrintWriter out, String kind, List<JsonNode> items) throws IOException {
    if ("json".equals(output) || "yaml".equals(output)) {
      JsonNode doc;
      if (items.size() == 1 && !names.isEmpty()) {
        doc = items.getFirst();
      } else {
        ObjectNode list = JSON.createObjectNode();
        list.put("apiVersion", "v1");
        ArrayNode a = list.putArray("items");
        items.forEach(a::add);
        list.put("kind", "List");
        doc = list;
      }
      out.print(output.equals("json") ? JSON.writeValueAsString(doc) + "\n" : YAML.writeValueAsString(doc));
      out.flush();
      return;
    }
    if ("name".equals(output)) {
      for (JsonNode n : items) {
        out.println(kind.toLowerCase(Locale.ROOT) + "/" + n.path("metadata").path("name").asText());
      }
      out.flush();
      return;
    }
    List<String> header = new ArrayList<>(switch (kind) {
      case "Pod" -> List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE");
      case "Service" -> List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
      case "Deployment" -> List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
      case "VirtualService" -> List.of("NAME", "GATEWAYS", "HOSTS", "AGE");
      case "DestinationRule" -> List.of("NAME", "HOST", "AGE");
      case "ServiceEntry" -> List.of("NAME", "HOSTS", "LOCATION", "RESOLUTION", "AGE");
      default -> List.of("NAME", "AGE");
    });
    boolean wide = "wide".equals(output) && kind.equals("Pod");
    if (wide) {
      header.addAll(List.of("IP", "NODE", "HTTP_PROXY"));
    }
    if (all) {
      header.addFirst("NAMESPACE");
    }
    Table t = new Table(header.toArray(String[]::new));
    for (JsonNode n : items) {
      List<String> row = new ArrayList<>(row(kind, n));
      if (wide) {
        row.addAll(List.of("127.0.0.1", "localhost", n.path("status").path("sluice").path("http_proxy").asText("<none>")));
      }
      if (all) {
        row.addFirst(n.path("metadata").path("namespace").asText());
      }
      t.add(row.toArray(String[]::new));
    }
    t.print(out);
  }

  private static List<String> row(String kind, JsonNode n) {
    String name = n.path("metadata").path("name").asText();
    String age = Age.since(n.path("metadata").path("creationTimestamp").asText());
    JsonNode spec = n.path("spec");
    JsonNode st = n.path("status");
    return switch (kind) {
      case "Pod" -> List.of(name, st.path("ready").asText(), st.path("status").asText(),
          st.path("restarts").asText("0"), age);
      case "Service" -> {
        List<String> ports = new ArrayList<>();
        for (JsonNode p : spec.path("ports")) {
          ports.add(p.path("port").asText() + "/" + p.path("protocol").asText("TCP"));
        }
        String t = spec.path("type").asText("ClusterIP");
        yield List.of(name, t, spec.path("clusterIP").asText("<none>"),
            t.equals("LoadBalancer") ? "127.0.0.1" : "<none>", ports.isEmpty() ? "<none>" : String.join(",", ports),
            age);
      }
      case "Deployment" -> List.of(name, st.path("readyReplicas").asInt() + "/" + spec.path("replicas").asInt(1),
          st.path("updatedReplicas").asText("0"), st.path("availableReplicas").asText("0"), age);
      case "VirtualService" -> List.of(name, list(spec.path("gateways")), list(spec.path("hosts")), age);
      case "DestinationRule" -> List.of(name, spec.path("host").asText(), age);
      case "ServiceEntry" -> List.of(name, list(spec.path("hosts")), spec.path("location").asText(),
          spec.path("resolution").asText(), age);
      default -> List.of(name, age);
    };
  }

  /** kubectl's rendering of a string list column: {@code ["bookinfo-gateway"]}. */
  private static String list(JsonNode a) {
    if (!a.isArray() || a.isEmpty()) {
      return "";
    }
    List<String> q = new ArrayList<>();
    a.forEach(x -> q.add("\"" + x.asText() + "\""));
    return "[" + String.join(",", q) + "]";
  }
}
