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
    if (args.length > 0 && args[0].equals("proxy")) {
      // The proxy gets a command line of its own command only: picocli reflects over every
      // subcommand it is given, and the others' fields would load ~400 Jackson classes into a
      // long-running proxy that never uses them (~8 MB of its idle memory, issue 3).
      CommandLine proxy = new CommandLine(new ProxyCommand()).setCommandName("sluice proxy");
      return execute(proxy, java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    return execute(new CommandLine(new Main()), args, out, err);
  }

  private static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
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
