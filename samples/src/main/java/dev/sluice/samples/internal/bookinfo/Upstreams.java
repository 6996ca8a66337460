package dev.sluice.samples.internal.bookinfo;

import dev.sluice.samples.SampleContext;

/** Bookinfo's upstream base URLs: {@code http://<NAME_HOSTNAME|name><.SERVICES_DOMAIN>:<NAME_SERVICE_PORT|9080>}. */
final class Upstreams {

  private Upstreams() {}

  /** The base URL of service {@code name} (e.g. {@code ratings}) as the originals build it. */
  static String base(SampleContext ctx, String name) {
    String prefix = name.toUpperCase(java.util.Locale.ROOT);
    String domain = ctx.env("SERVICES_DOMAIN");
    return "http://" + ctx.env(prefix + "_HOSTNAME", name)
        + (domain == null ? "" : "." + domain)
        + ":" + ctx.env(prefix + "_SERVICE_PORT", "9080");
  }
}
