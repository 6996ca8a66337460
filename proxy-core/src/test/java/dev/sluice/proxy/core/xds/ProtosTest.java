package dev.sluice.proxy.core.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import org.junit.jupiter.api.Test;

class ProtosTest {
  private static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  @Test
  void unpacksByTypeUrlWithAnyPrefix() throws Exception {
    Any any = Any.newBuilder().setTypeUrl("example.com/apis/envoy.config.cluster.v3.Cluster")
        .setValue(Cluster.newBuilder().setName("a").build().toByteString()).build();
    assertThat(Protos.unpack(any, CLUSTER, Cluster.parser()).getName()).isEqualTo("a");
  }

  @Test
  void refusesAnotherTypeAndBadBytes() {
    Any listener = Any.newBuilder().setTypeUrl("type.googleapis.com/envoy.config.listener.v3.Listener").build();
    assertThatThrownBy(() -> Protos.unpack(listener, CLUSTER, Cluster.parser()))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("is not " + CLUSTER);
    Any garbage = Any.newBuilder().setTypeUrl(CLUSTER).setValue(com.google.protobuf.ByteString.copyFrom(new byte[] {10, 50})).build();
    assertThatThrownBy(() -> Protos.unpack(garbage, CLUSTER, Cluster.parser())).isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void mapFieldReadsSetAndUnsetMaps() {
    var guard = new Protos.MapField<>(Cluster.class, "typedExtensionProtocolOptions_", Cluster::getTypedExtensionProtocolOptionsMap);
    assertThat(guard.guarded()).isTrue();
    assertThat(guard.get(Cluster.getDefaultInstance())).isEmpty();
    Cluster withMap = Cluster.newBuilder().putTypedExtensionProtocolOptions("k", Any.getDefaultInstance()).build();
    assertThat(guard.get(withMap)).containsOnlyKeys("k");
  }

  @Test
  void mapFieldWithAnUnknownJavaFieldFallsBackToTheGetter() {
    var guard = new Protos.MapField<>(Cluster.class, "noSuchField_", Cluster::getTypedExtensionProtocolOptionsMap);
    assertThat(guard.guarded()).isFalse();
    Cluster withMap = Cluster.newBuilder().putTypedExtensionProtocolOptions("k", Any.getDefaultInstance()).build();
    assertThat(guard.get(withMap)).containsOnlyKeys("k");
    assertThat(guard.get(Cluster.getDefaultInstance())).isEmpty();
  }
}
