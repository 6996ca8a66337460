package dev.sluice.bench.proxy;

import dev.sluice.proxy.core.filter.CorsPolicy;
import dev.sluice.proxy.core.filter.FaultPolicy;
import dev.sluice.proxy.core.filter.Fraction;
import dev.sluice.proxy.core.route.HeaderMatcher;
import dev.sluice.proxy.core.route.RequestView;
import dev.sluice.proxy.core.route.RetryPolicy;
import dev.sluice.proxy.core.route.StringMatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request decisions the fault, CORS and retry features add on the request path (pure
 * proxy-core logic, no I/O): a fault policy with a header match and 0 % / 50 % sampling, the CORS
 * policy merge and origin check, and the retry decisions for a 200 response and a connect failure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FilterDecisionBenchmark {
  private final RequestView request = new RequestView() {
    private final Map<String, String> headers = Map.of("end-user", "mike", "origin", "https://ok.example");

    @Override
    public String authority() {
      return "reviews:9080";
    }

    @Override
    public String path() {
      return "/reviews/0";
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public @Nullable String header(String name) {
      return headers.get(name);
    }
  };
  private final FaultPolicy fault = new FaultPolicy(
      new FaultPolicy.Delay(Duration.ofSeconds(7), Fraction.percent(50)),
      new FaultPolicy.Abort(500, null, Fraction.percent(0)),
      List.of(HeaderMatcher.of("end-user", new StringMatcher.Exact("mike", false))), Set.of(), null);
  private final CorsPolicy cors = new CorsPolicy(List.of(new StringMatcher.Exact("https://ok.example", false)),
      "GET,POST", "", "", "60", true, null, null, Fraction.ALL, null);
  private final RetryPolicy retry = RetryPolicy.istioDefault();

  @Benchmark
  public boolean faultDecision() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return fault.matches(request, "reviews") && (fault.delay().percentage().sample(r)
        || fault.abort().percentage().sample(r));
  }

  @Benchmark
  public boolean corsDecision() {
    CorsPolicy.Resolved p = CorsPolicy.resolve(cors, null);
    return p.filterEnabled().sample(ThreadLocalRandom.current()) && p.isOriginAllowed(request.header("origin"));
  }

  @Benchmark
  public boolean retryDecisions() {
    return retry.retriableResponse(200, null) | retry.retriableReset(true, false);
  }
}
