package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code sluice} command line. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
        "Sluice: a service mesh in Java that accepts Istio's configuration API unchanged.",
        ""
    },
    subcommands = {
        VersionCommand.class,
        ValidateCommand.class,
        AnalyzeCommand.class,
        ProxyCommand.class,
        ControlPlaneCommand.class,
        ProxyStatusCommand.class,
        ProxyConfigCommand.class,
        TrainCommand.class,
        UpCommand.class, DownCommand.class, ApplyCommand.class, DeleteCommand.class, GetCommand.class,
        ScaleCommand.class, LogsCommand.class, ExecCommand.class, DashboardCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** istioctl's exit code for usage errors (sysexits EX_USAGE). */
  static final int EXIT_USAGE = 64;
  /** istioctl's exit code for bad input data (sysexits EX_DATAERR). */
  static final int EXIT_DATA = 65;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line with the given streams and returns its exit code (for tests). */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE : 1);
    cli.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
    for (CommandLine sub : cli.getSubcommands().values()) {
      sub.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
    }
    return cli.execute(args);
  }
}
