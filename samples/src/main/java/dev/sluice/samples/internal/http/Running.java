package dev.sluice.samples.internal.http;

import dev.sluice.samples.RunningSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link RunningSample} made of listeners and other resources closed in reverse order. */
public final class Running implements RunningSample {

  private final String name;
  private final Map<Integer, Integer> ports;
  private final List<AutoCloseable> resources;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * A running sample.
   *
   * @param ports container port → bound port
   * @param resources closed in reverse order by {@link #close()}
   */
  public Running(String name, Map<Integer, Integer> ports, List<? extends AutoCloseable> resources) {
    this.name = name;
    this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    this.resources = List.copyOf(resources);
  }

  /** One HTTP listener plus extra resources (an outbound client, …). */
  public static Running http(String name, int containerPort, HttpApp app, AutoCloseable... more) {
    List<AutoCloseable> all = new ArrayList<>(List.of(more));
    all.add(app);
    return new Running(name, Map.of(containerPort, app.port()), all);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int port() {
    return ports.isEmpty() ? -1 : ports.values().iterator().next();
  }

  @Override
  public Map<Integer, Integer> ports() {
    return ports;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable r : reversed) {
      try {
        r.close();
      } catch (Exception e) {
        // Best effort: a sample being stopped has nobody left to report to.
      }
    }
  }

  @Override
  public String toString() {
    return name + ports;
  }
}
