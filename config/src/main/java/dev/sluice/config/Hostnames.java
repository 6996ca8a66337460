package dev.sluice.config;

/** Host name relations as Istio defines them for VirtualService, Gateway and ServiceEntry hosts. */
public final class Hostnames {
  private Hostnames() {}

  /** Whether two hosts, either of which may be a {@code *.suffix} wildcard, can name the same host. */
  public static boolean overlap(String a, String b) {
    boolean aw = a.startsWith("*");
    boolean bw = b.startsWith("*");
    if (aw && bw) {
      return a.length() < b.length() ? b.substring(1).endsWith(a.substring(1)) : a.substring(1).endsWith(b.substring(1));
    }
    if (aw) {
      return b.endsWith(a.substring(1));
    }
    if (bw) {
      return a.endsWith(b.substring(1));
    }
    return a.equals(b);
  }
}
