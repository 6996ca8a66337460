package dev.sluice.samples.internal.sleep;

import dev.sluice.samples.RunningSample;
import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.Running;
import java.util.List;
import java.util.Map;

/**
 * sleep/curl: Istio's client pod ({@code curlimages/curl} running {@code /bin/sleep infinity}).
 * Its app does nothing and listens nowhere; users run {@code sluice exec sleep -- curl …}, which
 * the platform runs with the pod's {@code http_proxy}.
 */
public final class Sleep {

  private Sleep() {}

  /** "Starts" the sleeping app: a handle without ports. */
  public static RunningSample start(String name, SampleContext ctx) {
    return new Running(name, Map.of(), List.of());
  }
}
