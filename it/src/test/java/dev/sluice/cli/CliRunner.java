package dev.sluice.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code sluice} command line in-process for the end-to-end tests. */
public final class CliRunner {
  private CliRunner() {}

  /** The exit code, stdout and stderr of one command line. */
  public record Result(int code, String out, String err) {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
