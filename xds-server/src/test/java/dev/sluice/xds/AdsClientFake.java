package dev.sluice.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A scripted ADS client: sends what the test says and queues what the server answers. */
final class AdsClientFake implements AutoCloseable {
  final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  final StreamObserver<DiscoveryRequest> requests;
  final Node node;

  AdsClientFake(ManagedChannel channel, String id, Map<String, String> labels) {
    Struct.Builder l = Struct.newBuilder();
    labels.forEach((k, v) -> l.putFields(k, Value.newBuilder().setStringValue(v).build()));
    node = Node.newBuilder().setId(id).setMetadata(Struct.newBuilder()
        .putFields("LABELS", Value.newBuilder().setStructValue(l).build())).build();
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse value) {
        responses.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
  }

  void request(String type, List<String> names, String version, String nonce) {
    requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).addAllResourceNames(names)
        .setVersionInfo(version).setResponseNonce(nonce).build());
  }

  void ack(DiscoveryResponse r, List<String> names) {
    request(r.getTypeUrl(), names, r.getVersionInfo(), r.getNonce());
  }

  void nack(DiscoveryResponse r, List<String> names, String message) {
    requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(r.getTypeUrl()).addAllResourceNames(names)
        .setResponseNonce(r.getNonce()).setErrorDetail(Status.newBuilder().setCode(3).setMessage(message)).build());
  }

  DiscoveryResponse next(Duration timeout) throws InterruptedException {
    DiscoveryResponse r = responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no response within " + timeout);
    }
    return r;
  }

  @Override
  public void close() {
    requests.onCompleted();
  }
}
