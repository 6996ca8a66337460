package dev.sluice.bench.config;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LoadResult;
import dev.sluice.config.Resource;
import dev.sluice.config.analysis.Analysis;
import dev.sluice.config.analysis.AnalysisInput;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.validation.Validation;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to read, validate and analyze a large mesh configuration ({@link BigConfig}), the work of
 * {@code sluice analyze big.yaml} without JVM start-up.
 *
 * <pre>{@code
 * ./bench/jmh.sh AnalyzeBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class AnalyzeBenchmark {
  @Param({"10000"})
  int resources;

  String yaml;
  List<Resource> loaded;

  @Setup
  public void setUp() {
    yaml = BigConfig.generate(resources);
    loaded = load().resources().stream().map(r -> r.withDefaultNamespace("default")).toList();
  }

  private LoadResult load() {
    return new ConfigLoader().load("big.yaml", new StringReader(yaml));
  }

  /** YAML to records. */
  @Benchmark
  public LoadResult read() {
    return load();
  }

  /** Every analyzer over already-loaded resources (includes validation, IST0106/0130/0131). */
  @Benchmark
  public List<AnalysisMessage> analyze() {
    return Analysis.analyze(AnalysisInput.files(loaded));
  }

  /** What {@code sluice analyze} does after start-up: read, then analyze. */
  @Benchmark
  public int readAndAnalyze() {
    List<Resource> rs = load().resources().stream().map(r -> r.withDefaultNamespace("default")).toList();
    return Analysis.analyze(AnalysisInput.files(rs)).size();
  }

  /** Validation alone. */
  @Benchmark
  public int validate() {
    int n = 0;
    for (Resource r : loaded) {
      n += Validation.validate(r).issues().size();
    }
    return n;
  }
}
