package dev.sluice.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.registry.Protocol;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client we did not write: grpc-java's proxyless xDS client ({@code xds:///} target) against
 * sluiced, with Istio YAML. The bootstrap is read once per JVM, so all proxyless tests live here.
 */
@Timeout(120)
class GrpcProxylessTest {
  static final String HOST = "echo.default.svc.cluster.local";
  static final String TARGET = "xds:///" + HOST + ":7070";
  static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("sluice.test.Echo/Who")
      .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

  static Sluiced cp;
  static Server v1;
  static Server v2;
  static ManagedChannel channel;

  static Server backend(String name) throws IOException {
    ServerServiceDefinition svc = ServerServiceDefinition.builder("sluice.test.Echo")
        .addMethod(WHO, ServerCalls.asyncUnaryCall((req, out) -> {
          out.onNext(name);
          out.onCompleted();
        })).build();
    return Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(svc).build().start();
  }

  @BeforeAll
  static void start() throws Exception {
    v1 = backend("v1");
    v2 = backend("v2");
    cp = Sluiced.start(Sluiced.Options.ephemeral().withPorts(0, 0));
    cp.registry().putService(TestMesh.service("echo", 7070, Protocol.GRPC));
    cp.registry().putInstance(TestMesh.loopback("echo", "v1", "grpc", v1.getPort()));
    cp.registry().putInstance(TestMesh.loopback("echo", "v2", "grpc", v2.getPort()));
    //language=YAML
    TestMesh.apply(cp, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: echo, namespace: default}
        spec:
          host: echo
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: echo, namespace: default}
        spec:
          hosts: [echo]
          http:
          - match: [{headers: {x-fault: {exact: abort}}}]
            fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
            route: [{destination: {host: echo, subset: v1}}]
          - match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: echo, subset: v2}}]
          - route:
            - {destination: {host: echo, subset: v1}, weight: 80}
            - {destination: {host: echo, subset: v2}, weight: 20}
        """);
    System.setProperty("io.grpc.xds.bootstrapConfig", """
        {"xds_servers": [{"server_uri": "127.0.0.1:%d", "channel_creds": [{"type": "insecure"}],
                          "server_features": ["xds_v3"]}],
         "node": {"id": "sidecar~127.0.0.1~grpc-client-0.default~default.svc.cluster.local",
                  "metadata": {"GENERATOR": "grpc", "NAMESPACE": "default"}}}
        """.formatted(cp.xdsPort()));
    channel = Grpc.newChannelBuilder(TARGET, InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (cp != null) {
      cp.close();
    }
    v1.shutdownNow();
    v2.shutdownNow();
    System.clearProperty("io.grpc.xds.bootstrapConfig");
  }

  static String call(Map<String, String> headers) {
    Metadata md = new Metadata();
    headers.forEach((k, v) -> md.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    var ch = io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    return ClientCalls.blockingUnaryCall(ch, WHO, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "hi");
  }

  static void awaitReady() {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> call(Map.of()) != null);
  }

  @Test
  void eightyTwentySplitWithinFivePercent() {
    awaitReady();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      counts.merge(call(Map.of()), 1, Integer::sum);
    }
    assertThat(counts.getOrDefault("v1", 0)).isBetween(750, 850);
    assertThat(counts.getOrDefault("v2", 0)).isBetween(150, 250);
    assertThat(counts.get("v1") + counts.get("v2")).isEqualTo(1000);
  }

  @Test
  void headerMatchRoutesToItsSubset() {
    awaitReady();
    for (int i = 0; i < 100; i++) {
      assertThat(call(Map.of("end-user", "jason"))).isEqualTo("v2");
    }
  }

  @Test
  void faultAbortIsHonoured() {
    awaitReady();
    assertThatThrownBy(() -> call(Map.of("x-fault", "abort")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void theClientAcksEverythingItWasSent() {
    awaitReady();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cp.xds().proxyStatus())
        .singleElement().satisfies(s -> {
          assertThat(s.errors()).isEmpty();
          assertThat(s.status()).containsEntry("lds", "SYNCED").containsEntry("rds", "SYNCED")
              .containsEntry("cds", "SYNCED").containsEntry("eds", "SYNCED");
        }));
  }
}
