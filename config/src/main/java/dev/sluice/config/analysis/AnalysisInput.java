package dev.sluice.config.analysis;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.Resource;
import dev.sluice.config.analysis.analyzers.Analyzers;
import java.time.Instant;
import java.util.List;

/**
 * Everything one analysis run depends on.
 *
 * <pre>{@code
 * AnalysisResult r = Analysis.run(AnalysisInput.files(resources).withMeshConfig(mesh));
 * }</pre>
 *
 * @param resources the user's resources (in {@link Mode#FILES}, namespaces already defaulted)
 * @param meshConfig the mesh configuration ({@link MeshConfig#defaults()} unless a file was given)
 * @param istioNamespace where Istio's control plane and default ingress gateway live
 * @param analyzers the analyzers to run
 * @param mode how default resources are added and whether analyzers lacking inputs are skipped
 * @param now the time certificates are checked against
 */
public record AnalysisInput(List<Resource> resources, MeshConfig meshConfig, String istioNamespace,
    List<Analyzer> analyzers, Mode mode, Instant now) {

  /** How the resources were gathered. */
  public enum Mode {
    /**
     * Istio's analyzer unit-test harness: resources as given (namespaces may be empty) plus Istio's
     * dummy ingress gateway Pod and Service; every analyzer runs.
     */
    HARNESS,
    /**
     * {@code sluice analyze FILES}: adds Istio's real default ingress gateway, turns Deployments into
     * Pods, and skips analyzers that need cluster objects (Service, Pod, Secret, Namespace, Node)
     * of a kind the user supplied none of.
     */
    FILES
  }

  public AnalysisInput {
    resources = List.copyOf(resources);
    requireNonNull(meshConfig, "meshConfig");
    requireNonNull(istioNamespace, "istioNamespace");
    analyzers = List.copyOf(analyzers);
    requireNonNull(mode, "mode");
    requireNonNull(now, "now");
  }

  /** File-mode analysis of {@code resources} with every analyzer, default mesh config, now. */
  public static AnalysisInput files(List<Resource> resources) {
    return new AnalysisInput(resources, MeshConfig.defaults(), "istio-system", Analyzers.all(), Mode.FILES,
        Instant.now());
  }

  /** Harness-mode analysis of {@code resources} with the given analyzers. */
  public static AnalysisInput harness(List<Resource> resources, List<Analyzer> analyzers) {
    return new AnalysisInput(resources, MeshConfig.defaults(), "istio-system", analyzers, Mode.HARNESS,
        Instant.now());
  }

  public AnalysisInput withMeshConfig(MeshConfig mesh) {
    return new AnalysisInput(resources, mesh, istioNamespace, analyzers, mode, now);
  }

  public AnalysisInput withIstioNamespace(String ns) {
    return new AnalysisInput(resources, meshConfig, ns, analyzers, mode, now);
  }

  public AnalysisInput withAnalyzers(List<Analyzer> list) {
    return new AnalysisInput(resources, meshConfig, istioNamespace, list, mode, now);
  }

  public AnalysisInput withNow(Instant instant) {
    return new AnalysisInput(resources, meshConfig, istioNamespace, analyzers, mode, instant);
  }
}
