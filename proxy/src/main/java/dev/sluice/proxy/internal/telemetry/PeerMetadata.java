package dev.sluice.proxy.internal.telemetry;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A workload's identity as Istio's metadata exchange carries it: the proxy's own, from the
 * bootstrap {@code node.metadata} (Istio's keys {@code NAME}, {@code NAMESPACE}, {@code LABELS},
 * {@code WORKLOAD_NAME}, {@code OWNER}, {@code CLUSTER_ID}, {@code MESH_ID}, {@code
 * SERVICE_ACCOUNT}), or a peer's, from the {@code x-envoy-peer-metadata} header (base64 of the
 * serialized {@code google.protobuf.Struct} with the same keys) and {@code
 * x-envoy-peer-metadata-id} (the peer's node id). Empty strings mean unknown.
 */
public record PeerMetadata(
    String id,
    String name,
    String namespace,
    String workload,
    String app,
    String version,
    String canonicalService,
    String canonicalRevision,
    String clusterId,
    String meshId,
    String serviceAccount,
    String owner) {

  /** The header with the encoded metadata. */
  public static final String HEADER = "x-envoy-peer-metadata";
  /** The header with the peer's node id. */
  public static final String ID_HEADER = "x-envoy-peer-metadata-id";
  static final String CANONICAL_NAME = "service.istio.io/canonical-name";
  static final String CANONICAL_REVISION = "service.istio.io/canonical-revision";
  /** Nothing known. */
  public static final PeerMetadata UNKNOWN = new PeerMetadata("", "", "", "", "", "", "", "", "", "", "", "");
  private static final int CACHE_MAX = 1024;
  private static final Map<String, PeerMetadata> DECODED = new ConcurrentHashMap<>();

  /** The identity in a node's metadata (or a decoded header). */
  public static PeerMetadata fromStruct(String id, Struct md) {
    return fromMap(id, dev.sluice.proxy.core.xds.Structs.toJava(md));
  }

  /** The identity in a node's metadata as plain values ({@code Structs.toJava}). */
  public static PeerMetadata fromMap(String id, Map<String, ?> md) {
    Map<?, ?> labels = md.get("LABELS") instanceof Map<?, ?> m ? m : Map.of();
    String app = str(labels, "app");
    if (app.isEmpty()) {
      app = str(labels, "app.kubernetes.io/name");
    }
    String version = str(labels, "version");
    if (version.isEmpty()) {
      version = str(labels, "app.kubernetes.io/version");
    }
    String name = str(md, "NAME");
    String workload = str(md, "WORKLOAD_NAME");
    String owner = str(md, "OWNER");
    if (workload.isEmpty() && owner.startsWith("kubernetes://") && owner.lastIndexOf('/') < owner.length() - 1) {
      // Istio's OWNER (kubernetes://apis/apps/v1/namespaces/NS/deployments/NAME) names the workload too.
      workload = owner.substring(owner.lastIndexOf('/') + 1);
    }
    // Istio's defaults: canonical service = label, else app, else workload; revision = label, else version, else latest.
    String canonical = str(labels, CANONICAL_NAME);
    if (canonical.isEmpty()) {
      canonical = !app.isEmpty() ? app : workload;
    }
    String revision = str(labels, CANONICAL_REVISION);
    if (revision.isEmpty()) {
      revision = !version.isEmpty() ? version : "latest";
    }
    return new PeerMetadata(id, name, str(md, "NAMESPACE"), workload, app, version, canonical, revision,
        str(md, "CLUSTER_ID"), str(md, "MESH_ID"), str(md, "SERVICE_ACCOUNT"), str(md, "OWNER"));
  }

  private static String str(Map<?, ?> m, String key) {
    return m.get(key) instanceof String v ? v : "";
  }

  /** Whether anything is known. */
  public boolean known() {
    return !workload.isEmpty() || !name.isEmpty() || !namespace.isEmpty();
  }

  /** The metadata as the exchange sends it (Istio's keys; only non-empty values). */
  public Struct toStruct() {
    Struct.Builder labels = Struct.newBuilder();
    put(labels, "app", app);
    put(labels, "version", version);
    put(labels, CANONICAL_NAME, canonicalService);
    put(labels, CANONICAL_REVISION, canonicalRevision);
    Struct.Builder s = Struct.newBuilder();
    put(s, "CLUSTER_ID", clusterId);
    if (labels.getFieldsCount() > 0) {
      s.putFields("LABELS", Value.newBuilder().setStructValue(labels).build());
    }
    put(s, "MESH_ID", meshId);
    put(s, "NAME", name);
    put(s, "NAMESPACE", namespace);
    put(s, "OWNER", owner);
    put(s, "SERVICE_ACCOUNT", serviceAccount);
    put(s, "WORKLOAD_NAME", workload);
    return s.build();
  }

  private static void put(Struct.Builder b, String k, String v) {
    if (!v.isEmpty()) {
      b.putFields(k, Value.newBuilder().setStringValue(v).build());
    }
  }

  /** The {@code x-envoy-peer-metadata} value: base64 of the deterministically serialized Struct. */
  public String encode() {
    try {
      Struct s = toStruct();
      ByteArrayOutputStream out = new ByteArrayOutputStream(s.getSerializedSize());
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      cos.useDeterministicSerialization();
      s.writeTo(cos);
      cos.flush();
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Decodes a peer's headers; {@code null} when the value is not base64 of a Struct. Decoded
   * values are cached by id (peers are few; the cache is bounded), as Istio's filter does.
   */
  public static @Nullable PeerMetadata decode(@Nullable String id, String value) {
    String key = id == null || id.isEmpty() ? null : id;
    if (key != null) {
      PeerMetadata hit = DECODED.get(key);
      if (hit != null) {
        return hit;
      }
    }
    PeerMetadata pm;
    try {
      byte[] bytes = Base64.getMimeDecoder().decode(value);
      pm = fromStruct(id == null ? "" : id, Struct.parseFrom(ByteString.copyFrom(bytes)));
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      return null;
    }
    if (key != null) {
      if (DECODED.size() >= CACHE_MAX) {
        DECODED.clear();
      }
      DECODED.put(key, pm);
    }
    return pm;
  }

  /** Istio's principal for this workload: {@code spiffe://<trust domain>/ns/<ns>/sa/<sa>}. */
  public String principal(String trustDomain) {
    return serviceAccount.isEmpty() || namespace.isEmpty() ? ""
        : "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
  }
}
