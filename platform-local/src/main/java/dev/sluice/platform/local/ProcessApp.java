package dev.sluice.platform.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A container's {@code command} and {@code args} as a local process with the container's {@code
 * env} (plus {@code HOSTNAME} and the sidecar's {@code http_proxy}); its stdout and stderr are the
 * pod's log. Ready when every container port accepts a connection on 127.0.0.1.
 */
final class ProcessApp implements App {
  private final Process process;
  private final List<Integer> ports;
  private final String commandLine;
  private volatile boolean ready;

  private ProcessApp(Process process, List<Integer> ports, String commandLine) {
    this.process = process;
    this.ports = ports;
    this.commandLine = commandLine;
  }

  /** Starts {@code command}; {@code log} gets each output line. */
  static ProcessApp start(List<String> command, Map<String, String> env, List<Integer> ports, Consumer<String> log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    Thread.ofVirtual().name("log-" + p.pid()).start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          log.accept(line);
        }
      } catch (IOException e) {
        // the process went away
      }
    });
    return new ProcessApp(p, List.copyOf(ports), String.join(" ", command));
  }

  /** Expands Kubernetes' {@code $(VAR)} references in a command or argument from {@code env}. */
  static String expand(String s, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(' && s.indexOf(')', i) > 0) {
        int end = s.indexOf(')', i);
        String name = s.substring(i + 2, end);
        String v = env.get(name);
        out.append(v != null ? v : s.substring(i, end + 1));
        i = end;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  long pid() {
    return process.pid();
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return process.onExit().thenApply(Process::exitValue);
  }

  @Override
  public boolean isReady() {
    if (ready) {
      return true;
    }
    if (!process.isAlive()) {
      return false;
    }
    for (int port : ports) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      } catch (IOException e) {
        return false;
      }
    }
    ready = true;
    return true;
  }

  @Override
  public String describe() {
    return "process " + process.pid() + ": " + commandLine;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
