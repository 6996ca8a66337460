package dev.sluice.samples;

import dev.sluice.samples.internal.catalog.Entries;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the built-in sample for a container image or a name.
 *
 * <pre>{@code
 * Sample reviews = SampleCatalog.forImage("docker.io/istio/examples-bookinfo-reviews-v2:1.20.3")
 *     .orElseThrow();                                   // reviews-v2: ENABLE_RATINGS=true, black stars
 * SampleCatalog.forImage("quay.io/rhdevelopers/istio-tutorial-recommendation:v2.2"); // recommendation-v2
 * SampleCatalog.forImage("docker.io/library/nginx:1.27");                            // empty
 * }</pre>
 *
 * <p>Images are matched by repository name (any registry, tag or digest): Bookinfo's
 * {@code examples-bookinfo-<service>-<version>}, {@code examples-helloworld-v1|v2},
 * {@code rhdevelopers/istio-tutorial-{customer,preference,recommendation}} (recommendation's tag
 * names its version: {@code v1.x}, {@code v2.x}, {@code v2.x-timeout}, {@code 3.x}) and the
 * tutorial's {@code example/…} builds, {@code mccutchen/go-httpbin}, {@code kennethreitz/httpbin},
 * {@code curlimages/curl}, {@code tcp-echo-server}.
 */
public final class SampleCatalog {

  private SampleCatalog() {}

  /** Every sample by catalogue name, in a stable order. */
  public static Map<String, Sample> all() {
    return java.util.Collections.unmodifiableMap(Entries.ALL);
  }

  /**
   * The sample named {@code name} ({@link Sample#name()}), also accepting the short names
   * {@code details}, {@code reviews}, {@code ratings}, {@code helloworld}, {@code recommendation}
   * (their v1) and {@code curl} (sleep).
   */
  public static Optional<Sample> forName(String name) {
    String n = switch (name) {
      case "details", "reviews", "ratings", "helloworld", "recommendation" -> name + "-v1";
      case "productpage-v1" -> "productpage";
      case "curl" -> "sleep";
      default -> name;
    };
    return Optional.ofNullable(Entries.ALL.get(n));
  }

  /** The sample a container image maps to, if it is one of Istio's or the tutorial's sample images. */
  public static Optional<Sample> forImage(String image) {
    String ref = image.trim().toLowerCase(Locale.ROOT);
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    String tag = colon > slash ? ref.substring(colon + 1) : "latest";
    String repository = colon > slash ? ref.substring(0, colon) : ref;
    String last = repository.substring(repository.lastIndexOf('/') + 1);
    String owner = repository.contains("/")
        ? repository.substring(0, repository.lastIndexOf('/')) : "";
    owner = owner.substring(owner.lastIndexOf('/') + 1);
    return forName(nameFor(owner, last, tag));
  }

  private static String nameFor(String owner, String last, String tag) {
    if (last.startsWith("examples-bookinfo-")) {
      String rest = last.substring("examples-bookinfo-".length());
      return rest.equals("productpage-v1") ? "productpage" : rest;
    }
    if (last.startsWith("examples-helloworld-")) {
      return "helloworld-" + last.substring("examples-helloworld-".length());
    }
    String tutorial = last.startsWith("istio-tutorial-") ? last.substring("istio-tutorial-".length())
        : owner.equals("example") ? last : "";
    switch (tutorial) {
      case "customer", "preference" -> {
        return tutorial;
      }
      case "recommendation" -> {
        String version = tag.startsWith("v") ? tag.substring(1) : tag;
        String major = version.split("[.-]")[0];
        return List.of("1", "2", "3").contains(major)
            ? "recommendation-v" + major + (major.equals("2") && tag.endsWith("-timeout") ? "-timeout" : "")
            : "";
      }
      default -> { }
    }
    return switch (owner + "/" + last) {
      case "mccutchen/go-httpbin" -> "httpbin";
      case "kennethreitz/httpbin", "citizenstig/httpbin" -> "httpbin-python";
      case "curlimages/curl", "governmentpaas/curl-ssl" -> "sleep";
      default -> last.equals("tcp-echo-server") ? "tcp-echo" : "";
    };
  }
}
