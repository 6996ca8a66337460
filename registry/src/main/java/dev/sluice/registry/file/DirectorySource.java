package dev.sluice.registry.file;

import dev.sluice.config.ConfigSources;
import dev.sluice.config.LoadProblem;
import dev.sluice.config.LoadResult;
import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.registry.ApplyResult;
import dev.sluice.registry.InMemoryConfigStore;
import dev.sluice.registry.InMemoryServiceRegistry;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.WorkloadInstance;
import dev.sluice.registry.kube.KubeWorkloads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A directory of YAML files feeding a config store (Istio kinds) and a service registry
 * (Kubernetes Services, Deployments and Pods, and WorkloadEntries). Each sync makes store and
 * registry hold exactly what the files say; invalid objects are rejected with their messages.
 * {@link #start()} watches the directory (and its subdirectories) and syncs again after changes.
 *
 * <pre>{@code
 * DirectorySource src = new DirectorySource(dir, store, registry, "cluster.local", report -> ...);
 * src.sync();
 * src.start();
 * }</pre>
 */
public final class DirectorySource implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DirectorySource.class.getName());

  /** What one sync found. */
  public record SyncReport(List<ApplyResult> results, List<LoadProblem> problems, int services,
      int instances) {
    public SyncReport {
      results = List.copyOf(results);
      problems = List.copyOf(problems);
    }

    /** Rejected objects and unreadable documents, one line each. */
    public List<String> errors() {
      List<String> out = new ArrayList<>();
      results.stream().filter(r -> r.status() == ApplyResult.Status.REJECTED).forEach(r -> out.add(r.line()));
      problems.forEach(p -> out.add(p.origin() + ": " + p.message()));
      return out;
    }
  }

  private final Path dir;
  private final InMemoryConfigStore store;
  private final InMemoryServiceRegistry registry;
  private final String domainSuffix;
  private final Consumer<SyncReport> onSync;
  private @Nullable WatchService watcher;
  private @Nullable Thread thread;

  public DirectorySource(Path dir, InMemoryConfigStore store, InMemoryServiceRegistry registry,
      String domainSuffix, Consumer<SyncReport> onSync) {
    this.dir = dir;
    this.store = store;
    this.registry = registry;
    this.domainSuffix = domainSuffix;
    this.onSync = onSync;
  }

  /** Reads the directory and applies it. */
  public synchronized SyncReport sync() {
    LoadResult loaded = new ConfigSources().load(List.of(dir.toString()), true, new ByteArrayInputStream(new byte[0]));
    List<Resource> resources = loaded.resources().stream().map(r -> r.withDefaultNamespace("default")).toList();
    List<ApplyResult> results = store.replaceAll(resources);
    List<Resource> platform = new ArrayList<>();
    for (Resource r : resources) {
      if (!r.kind().isIstio() || r.kind() == ResourceKind.WORKLOAD_ENTRY
          && store.get(r.key()).isPresent()) {
        platform.add(r);
      }
    }
    List<MeshService> services = KubeWorkloads.services(platform, domainSuffix);
    List<WorkloadInstance> instances = KubeWorkloads.instances(platform);
    registry.replaceAll(services, instances);
    SyncReport report = new SyncReport(results, loaded.problems(), services.size(), instances.size());
    onSync.accept(report);
    return report;
  }

  /** Watches the directory on a daemon thread and syncs after each burst of changes. */
  public synchronized void start() throws IOException {
    WatchService ws = FileSystems.getDefault().newWatchService();
    try (Stream<Path> dirs = Files.walk(dir)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        d.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    }
    watcher = ws;
    thread = Thread.ofPlatform().daemon().name("sluice-config-watch").start(() -> loop(ws));
  }

  private void loop(WatchService ws) {
    try {
      while (true) {
        var key = ws.take();
        key.pollEvents();
        key.reset();
        // Coalesce a burst (an editor writes, renames and touches): wait for 50 ms of quiet.
        for (var more = ws.poll(50, TimeUnit.MILLISECONDS); more != null;
            more = ws.poll(50, TimeUnit.MILLISECONDS)) {
          more.pollEvents();
          more.reset();
        }
        try {
          sync();
        } catch (RuntimeException e) {
          LOG.warning("sync of " + dir + " failed: " + e);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (watcher != null) {
      watcher.close();
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
