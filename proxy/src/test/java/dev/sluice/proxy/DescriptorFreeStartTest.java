package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A proxy started from a static bootstrap, serving requests and its admin pages (the AOT training
 * run), never builds an Envoy API protobuf descriptor: building them was most of the start-up time
 * and ~8 MB of heap for the life of the process. Any {@code Any.unpack}, map-field getter or
 * {@code toBuilder()} of a message with a map on that path brings them back; this test names the
 * {@code *Proto} class that was loaded. It also checks that the classes that read the bootstrap
 * were unloaded after start. Runs in a fresh JVM, to see every class loaded.
 */
@Timeout(120)
class DescriptorFreeStartTest {
  @Test
  void staticProxyLoadsNoEnvoyFileDescriptor() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Xlog:class+load=info,class+unload=info:stdout", "-cp",
        System.getProperty("java.class.path"), ProxyTraining.class.getName(), "20")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out.lines().filter(l -> !l.contains("[class,load]")).toList().toString()).isZero();
    List<String> loaded = out.lines().filter(l -> l.contains("[class,load]")).map(l -> l.split(" ")[1]).toList();
    assertThat(loaded).as("the training run's classes").contains("dev.sluice.proxy.ProxyTraining",
        "io.envoyproxy.envoy.config.listener.v3.Listener");
    assertThat(loaded).filteredOn(c -> c.startsWith("io.envoyproxy.") && c.endsWith("Proto")).isEmpty();
    // The static bootstrap was read in a class loader of its own (ConfigReading), which is gone:
    // no Envoy API class and, of the protobuf runtime, only the exception type the verifier of
    // PeerMetadata loads for its catch stay loaded.
    List<String> unloaded = out.lines().filter(l -> l.contains("[class,unload] unloading class "))
        .map(l -> l.substring(l.indexOf("unloading class ") + 16).split(" ")[0]).toList();
    java.util.List<String> staying = new java.util.ArrayList<>(loaded);
    unloaded.forEach(staying::remove);
    assertThat(staying).filteredOn(c -> c.startsWith("io.envoyproxy.") || c.startsWith("org.yaml.")).isEmpty();
    assertThat(staying).filteredOn(c -> c.startsWith("com.google.protobuf."))
        .isSubsetOf("com.google.protobuf.InvalidProtocolBufferException");
  }
}
