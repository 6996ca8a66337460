package dev.sluice.cli;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LoadResult;
import dev.sluice.config.Resource;
import dev.sluice.config.validation.Validation;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Hidden {@code sluice __train}: a representative run (help, load, validate, analyze) that the
 * launcher records into an AOT cache once, so that later commands start from pre-loaded classes.
 */
@Command(name = "__train", hidden = true)
final class TrainCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    LoadResult loaded;
    try (Reader r = new InputStreamReader(
        Objects.requireNonNull(TrainCommand.class.getResourceAsStream("train.yaml")), StandardCharsets.UTF_8)) {
      loaded = new ConfigLoader().load("train.yaml", r);
    }
    for (Resource res : loaded.resources()) {
      Validation.validate(res.withDefaultNamespace("default"));
    }
    StringWriter sink = new StringWriter();
    new CommandLine(new Main()).usage(new PrintWriter(sink));
    AnalyzeCommand.train(loaded.resources().stream().map(r -> r.withDefaultNamespace("default")).toList());
    return 0;
  }
}
