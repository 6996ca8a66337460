package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice proxy-config cluster|listener|route|endpoint <proxy>}: what sluiced last sent a
 * proxy, with istioctl's columns, or the config dump section as {@code -o json|yaml}.
 */
@Command(
    name = "proxy-config",
    aliases = "pc",
    mixinStandardHelpOptions = true,
    description = "Show the clusters, listeners, routes or endpoints sluiced sent to a proxy.")
public final class ProxyConfigCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TYPE", description = "cluster, listener, route or endpoint (plural accepted).")
  String type;

  @Parameters(index = "1", paramLabel = "PROXY", description = "Proxy (pod.namespace, node id, or a unique part).")
  String proxy;

  @Option(names = {"-o", "--output"}, defaultValue = "short", description = "short, json or yaml (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    String kind = switch (type.toLowerCase(java.util.Locale.ROOT)) {
      case "cluster", "clusters", "c" -> "ClustersConfigDump";
      case "listener", "listeners", "l" -> "ListenersConfigDump";
      case "route", "routes", "r" -> "RoutesConfigDump";
      case "endpoint", "endpoints", "ep" -> "EndpointsConfigDump";
      default -> null;
    };
    if (kind == null) {
      err.println("sluice proxy-config: unknown type " + type + " (expected: cluster, listener, route or endpoint)");
      return Main.EXIT_USAGE;
    }
    if (!List.of("short", "json", "yaml").contains(output)) {
      err.println("sluice proxy-config: -o " + output + " (expected: short, json or yaml)");
      return Main.EXIT_USAGE;
    }
    String base = controlPlane != null ? controlPlane : ControlPlaneClient.defaultUrl();
    JsonNode dump;
    try {
      dump = JSON.readTree(ControlPlaneClient.get(base, "/debug/config_dump?proxy="
          + URLEncoder.encode(proxy, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      err.println("sluice proxy-config: " + e.getMessage());
      return 1;
    }
    JsonNode section = JSON.createObjectNode();
    for (JsonNode c : dump.path("configs")) {
      if (c.path("@type").asText().endsWith("." + kind)) {
        section = c;
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (output) {
      case "json" -> out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(section));
      case "yaml" -> out.print(new ObjectMapper(new YAMLFactory()).writeValueAsString(section));
      default -> {
        switch (kind) {
          case "ClustersConfigDump" -> clusters(section).print(out);
          case "ListenersConfigDump" -> listeners(section).print(out);
          case "RoutesConfigDump" -> routes(section).print(out);
          default -> endpoints(section).print(out);
        }
      }
    }
    out.flush();
    return 0;
  }

  static Table clusters(JsonNode section) {
    Table t = new Table("SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE");
    for (JsonNode d : section.path("dynamic_active_clusters")) {
      JsonNode c = d.path("cluster");
      String name = c.path("name").asText();
      String[] p = name.split("\\|", -1);
      String dr = ref(c.path("metadata"), "destination-rule");
      String clusterType = c.path("type").asText("EDS");
      if (p.length == 4) {
        t.add(p[3].isEmpty() ? "" : p[3], p[1], p[2].isEmpty() ? "-" : p[2], p[0], clusterType, dr);
      } else {
        t.add(name, "-", "-", "-", clusterType, dr);
      }
    }
    return t;
  }

  /** {@code /apis/.../namespaces/default/destination-rule/reviews} → {@code reviews.default}. */
  private static String ref(JsonNode metadata, String kind) {
    String config = metadata.path("filter_metadata").path("istio").path("config").asText("");
    String marker = "/namespaces/";
    int i = config.indexOf(marker);
    int k = config.indexOf("/" + kind + "/");
    if (i < 0 || k < 0) {
      return "-";
    }
    String ns = config.substring(i + marker.length(), k);
    return config.substring(k + kind.length() + 2) + "." + ns;
  }

  static Table listeners(JsonNode section) {
    Table t = new Table("ADDRESSES", "PORT", "MATCH", "DESTINATION");
    for (JsonNode d : section.path("dynamic_listeners")) {
      JsonNode l = d.path("active_state").path("listener");
      JsonNode sa = l.path("address").path("socket_address");
      String addr = sa.isMissingNode() ? "-" : sa.path("address").asText();
      String port = sa.isMissingNode() ? "-" : sa.path("port_value").asText("0");
      if (l.has("api_listener")) {
        t.add(l.path("name").asText(), "-", "ALL", destination(l.path("api_listener").path("api_listener")));
        continue;
      }
      for (JsonNode fc : l.path("filter_chains")) {
        JsonNode m = fc.path("filter_chain_match");
        List<String> match = new ArrayList<>();
        if (m.has("destination_port")) {
          match.add("Port: " + m.path("destination_port").asText());
        }
        if (m.has("server_names")) {
          List<String> sni = new ArrayList<>();
          m.path("server_names").forEach(n -> sni.add(n.asText()));
          match.add("SNI: " + String.join(",", sni));
        }
        JsonNode filters = fc.path("filters");
        JsonNode last = filters.isArray() && !filters.isEmpty() ? filters.get(filters.size() - 1).path("typed_config")
            : JSON.createObjectNode();
        t.add(addr, port, match.isEmpty() ? "ALL" : String.join("; ", match), destination(last));
      }
    }
    return t;
  }

  private static String destination(JsonNode filter) {
    if (filter.has("rds")) {
      return "Route: " + filter.path("rds").path("route_config_name").asText();
    }
    if (filter.has("route_config")) {
      return "Inline Route: " + filter.path("route_config").path("name").asText();
    }
    if (filter.has("cluster")) {
      return "Cluster: " + filter.path("cluster").asText();
    }
    if (filter.has("weighted_clusters")) {
      List<String> c = new ArrayList<>();
      filter.path("weighted_clusters").path("clusters").forEach(x -> c.add(x.path("name").asText()));
      return "Clusters: " + String.join(", ", c);
    }
    return "-";
  }

  static Table routes(JsonNode section) {
    Table t = new Table("NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE");
    for (JsonNode d : section.path("dynamic_route_configs")) {
      JsonNode rc = d.path("route_config");
      for (JsonNode vh : rc.path("virtual_hosts")) {
        ArrayNode domains = (ArrayNode) vh.path("domains");
        String shown = domains.isEmpty() ? "" : domains.get(0).asText()
            + (domains.size() > 1 ? " + " + (domains.size() - 1) + " more..." : "");
        for (JsonNode r : vh.path("routes")) {
          JsonNode m = r.path("match");
          String match = m.has("path") ? m.path("path").asText() : m.has("safe_regex")
              ? m.path("safe_regex").path("regex").asText() : m.path("prefix").asText("/") + "*";
          t.add(rc.path("name").asText(), vh.path("name").asText(), shown, match,
              ref(r.path("metadata"), "virtual-service"));
        }
      }
    }
    return t;
  }

  static Table endpoints(JsonNode section) {
    Table t = new Table("ENDPOINT", "STATUS", "OUTLIER CHECK", "CLUSTER");
    for (JsonNode d : section.path("dynamic_endpoint_configs")) {
      JsonNode cla = d.path("endpoint_config");
      for (JsonNode loc : cla.path("endpoints")) {
        for (JsonNode e : loc.path("lb_endpoints")) {
          JsonNode sa = e.path("endpoint").path("address").path("socket_address");
          t.add(sa.path("address").asText() + ":" + sa.path("port_value").asText("0"),
              e.path("health_status").asText("HEALTHY"), "OK", cla.path("cluster_name").asText());
        }
      }
    }
    return t;
  }
}
