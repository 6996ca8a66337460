package dev.sluice.dashboard;

/** What identifies a node in one view: its kind, namespace, name and (versioned app only) version. */
record GraphNodeKey(String kind, String namespace, String name, String version) {
  static final GraphNodeKey UNKNOWN = new GraphNodeKey("unknown", IstioLabels.UNKNOWN, IstioLabels.UNKNOWN, "");

  /** A stable id for URLs and the UI: {@code app:bookinfo/reviews/v2}. */
  String id() {
    if (kind.equals("unknown")) {
      return "unknown";
    }
    return kind + ":" + namespace + "/" + name + (version.isEmpty() ? "" : "/" + version);
  }
}
