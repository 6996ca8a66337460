package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice dashboard [--open]}: the URL of the mesh's dashboard (served by sluiced, Kiali's
 * port 20001), like {@code istioctl dashboard kiali}; {@code --open} also starts a browser.
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {"Print the URL of the mesh's dashboard (traffic graph and config), served by sluiced.",
        "--open also opens it in a browser (xdg-open, open, or $BROWSER)."})
public final class DashboardCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--control-plane", paramLabel = "URL", description = "sluiced's HTTP API (default: "
      + "$SLUICE_CONTROL_PLANE or http://127.0.0.1:15014).")
  String controlPlane;

  @Option(names = "--open", description = "Open the dashboard in a browser.")
  boolean open;

  @Override
  public Integer call() {
    String base = controlPlane != null ? controlPlane : ControlPlaneClient.defaultUrl();
    JsonNode answer;
    try {
      answer = new ObjectMapper().readTree(ControlPlaneClient.get(base, "/debug/dashboardz"));
    } catch (IOException e) {
      spec.commandLine().getErr().println("sluice dashboard: " + e.getMessage());
      return 1;
    }
    String url = answer.path("url").asText("");
    if (url.isEmpty() || answer.path("url").isNull()) {
      spec.commandLine().getErr().println("sluice dashboard: sluiced at " + base + " serves no dashboard "
          + "(started with --dashboard-port -1)");
      return 1;
    }
    spec.commandLine().getOut().println(url);
    spec.commandLine().getOut().flush();
    if (open) {
      String browser = System.getenv("BROWSER");
      for (List<String> cmd : List.of(browser == null ? List.<String>of() : List.of(browser, url),
          List.of("xdg-open", url), List.of("open", url))) {
        if (cmd.isEmpty()) {
          continue;
        }
        try {
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
          return 0;
        } catch (IOException e) {
          // not installed: try the next one
        }
      }
      spec.commandLine().getErr().println("sluice dashboard: no browser found (xdg-open, open, $BROWSER); open "
          + url + " yourself");
      return 1;
    }
    return 0;
  }
}
