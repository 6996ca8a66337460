package dev.sluice.proxy.internal;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Reads the proxy's bootstrap. A bootstrap without {@code dynamic_resources} is read in a class
 * loader of its own, which is dropped once the proxy has its {@link StaticConfig}: the protobuf
 * runtime, the Envoy API's generated classes, SnakeYAML and the xDS parsers (~700 classes, ~9 MB of
 * the AOT cache) are then unloaded at the next full GC and never part of an idle proxy. With
 * {@code dynamic_resources} they stay, since every xDS update needs them, and the bootstrap is read
 * in the proxy's own loader.
 */
final class ConfigReading {
  private ConfigReading() {}

  private static final String READER = "dev.sluice.proxy.internal.StaticConfigReader";

  /** Whether {@link #read} read the last bootstrap in a class loader of its own. */
  record Read(StaticConfig config, boolean isolated) {}

  /**
   * Reads the bootstrap in {@code path} or {@code yaml} (neither: an empty bootstrap).
   *
   * @throws IllegalArgumentException naming the file, the field and what was expected
   */
  @SuppressWarnings("unchecked")
  static Read read(@Nullable String path, @Nullable String yaml, @Nullable String serviceNode,
      @Nullable String serviceCluster) {
    String source = yaml != null ? "config" : path != null ? path : "(none)";
    String text;
    try {
      text = yaml != null ? yaml : path != null ? Files.readString(Path.of(path)) : "";
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot read (" + e.getMessage() + ")", e);
    }
    String[] args = {source, text, serviceNode, serviceCluster};
    // A key can only be spelled one of these two ways (YAML or JSON, proto or JSON name); a
    // mention in a comment merely reads the file in the proxy's own loader.
    if (text.contains("dynamic_resources") || text.contains("dynamicResources")) {
      return new Read(new StaticConfigReader().apply(args), false);
    }
    try {
      // Not closed: should a record hold an object of a reader's class, its further classes must
      // still load; the loader and its jars go with the next GC once nothing refers to them.
      Class<?> reader = new IsolatingLoader(ConfigReading.class.getClassLoader()).loadClass(READER);
      var f = (Function<String[], StaticConfig>) reader.getConstructor().newInstance();
      return new Read(f.apply(args), true);
    } catch (ReflectiveOperationException | LinkageError e) {
      // A class the readers need that the loader leaves to its parent would fail to link; the
      // proxy then reads its bootstrap as with dynamic_resources rather than not start.
      Logger.getLogger(ConfigReading.class.getName()).log(Level.WARNING,
          "reading the bootstrap in the proxy's own class loader: " + e, e);
      return new Read(new StaticConfigReader().apply(args), false);
    }
  }

  /**
   * Loads the configuration-reading classes itself (child first, from the same class path) and
   * everything else from its parent, so that the proxy's records are shared and the readers'
   * classes can be unloaded. (The JDK's AOT cache could hold this loader's classes too, if the
   * training run kept the loader, but the cache is resident in full: see docs/proxy.md.)
   */
  static final class IsolatingLoader extends URLClassLoader {
    /** The protobuf runtime, every generated package the Envoy API's descriptors refer to, SnakeYAML, the readers. */
    private static final String[] OWN = {"com.google.protobuf.", "io.envoyproxy.", "com.github.udpa.",
        "com.github.xds.", "udpa.", "xds.", "envoy.annotations.", "validate.", "com.google.api.", "com.google.rpc.",
        "com.google.type.", "dev.cel.", "cel.dev.", "io.opentelemetry.proto.", "io.prometheus.client.",
        "org.yaml.snakeyaml.", "dev.sluice.proxy.core.xds.", READER,
        "dev.sluice.proxy.internal.Bootstrap", "dev.sluice.proxy.internal.ProtoYaml",
        "dev.sluice.proxy.internal.EnvoySchema"};

    static {
      registerAsParallelCapable();
    }

    IsolatingLoader(ClassLoader parent) {
      super("sluice-bootstrap-reader", classPath(), parent);
    }

    private static URL[] classPath() {
      String[] entries = System.getProperty("java.class.path", "").split(File.pathSeparator);
      List<URL> urls = new ArrayList<>(entries.length);
      for (String e : entries) {
        if (!e.isEmpty()) {
          try {
            urls.add(Path.of(e).toAbsolutePath().toUri().toURL());
          } catch (MalformedURLException ex) {
            throw new IllegalStateException("class path entry " + e, ex);
          }
        }
      }
      return urls.toArray(URL[]::new);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!own(name)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    private static boolean own(String name) {
      for (String p : OWN) {
        if (name.startsWith(p)) {
          return true;
        }
      }
      return false;
    }
  }
}
