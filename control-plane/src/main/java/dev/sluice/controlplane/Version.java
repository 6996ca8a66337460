package dev.sluice.controlplane;

/** The control plane's version string. */
final class Version {
  private Version() {}

  static final String VERSION = "0.1.0";
}
