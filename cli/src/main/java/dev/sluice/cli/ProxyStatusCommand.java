package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice proxy-status}: the xDS sync state of every proxy connected to sluiced, with
 * istioctl's columns ({@code NAME CLUSTER CDS LDS EDS RDS ECDS ISTIOD VERSION}).
 */
@Command(
    name = "proxy-status",
    aliases = "ps",
    mixinStandardHelpOptions = true,
    description = "Show the xDS sync status (SYNCED, STALE, NOT SENT, ERROR) of every connected proxy.")
public final class ProxyStatusCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  @Override
  public Integer call() {
    String base = controlPlane != null ? controlPlane : ControlPlaneClient.defaultUrl();
    JsonNode proxies;
    try {
      proxies = new ObjectMapper().readTree(ControlPlaneClient.get(base, "/debug/syncz"));
    } catch (IOException e) {
      spec.commandLine().getErr().println("sluice proxy-status: " + e.getMessage());
      return 1;
    }
    Table t = new Table("NAME", "CLUSTER", "CDS", "LDS", "EDS", "RDS", "ECDS", "ISTIOD", "VERSION");
    for (JsonNode p : proxies) {
      t.add(name(p.path("proxy").asText()), p.path("cluster_id").asText(), cell(p, "cds"), cell(p, "lds"),
          cell(p, "eds"), cell(p, "rds"), "IGNORED", "sluiced", p.path("istio_version").asText());
    }
    t.print(spec.commandLine().getOut());
    return 0;
  }

  /** {@code sidecar~ip~pod.ns~domain} → {@code pod.ns}, as istioctl names proxies. */
  static String name(String id) {
    String[] parts = id.split("~");
    return parts.length == 4 ? parts[2] : id;
  }

  private static String cell(JsonNode p, String type) {
    String s = p.path(type.toUpperCase(java.util.Locale.ROOT)).asText("NOT SENT");
    long age = p.path("ages").path(type).asLong(-1);
    if (!s.equals("SYNCED") || age < 0) {
      return s;
    }
    return s + " (" + (age < 60 ? age + "s" : age < 3600 ? age / 60 + "m" : age / 3600 + "h") + ")";
  }
}
