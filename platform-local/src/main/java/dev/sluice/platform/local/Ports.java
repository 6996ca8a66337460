package dev.sluice.platform.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free ports on 127.0.0.1 for pods, taken from 20000-32767: below the kernels' ephemeral ranges
 * (Linux 32768-60999, macOS 49152-65535), so that an outgoing connection can never be given a port
 * between the moment it is chosen here and the moment a sidecar or app binds it (which happened
 * with ports picked by binding port 0). Ports handed out are remembered, so two pods never get
 * the same one; a port stays reserved for its pod's lifetime, so a restarted app binds it again.
 */
final class Ports {
  static final int FIRST = 20000;
  static final int LAST = 32767;

  private final Set<Integer> reserved = new HashSet<>();
  private int next = FIRST;

  /** A free port, reserved until {@link #release}. */
  synchronized int allocate() {
    for (int i = 0; i <= LAST - FIRST; i++) {
      int port = next;
      next = next == LAST ? FIRST : next + 1;
      if (!reserved.contains(port) && isFree(port)) {
        reserved.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port on 127.0.0.1 in " + FIRST + "-" + LAST);
  }

  /** Reserves a fixed port (one a user asked for, or a command container's own port). */
  synchronized void reserve(int port) {
    reserved.add(port);
  }

  synchronized void release(int port) {
    reserved.remove(port);
  }

  /** Whether nothing listens on 127.0.0.1:{@code port} right now. */
  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
