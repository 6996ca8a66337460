package dev.sluice.proxy.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObject;

/** One upstream request/response exchange on an HTTP/1.1 connection or an HTTP/2 stream. */
interface UpstreamStream {
  /** Writes without flushing. */
  void write(HttpObject msg);

  void flush();

  void setAutoRead(boolean autoRead);

  boolean isWritable();

  /** The exchange is over: return the connection to its pool if {@code reusable}, else close it. */
  void release(boolean reusable);

  /** The local address, for access logs. */
  String localAddress();

  /** A socket address as access logs show it: {@code 127.0.0.1:40312}, without the leading slash. */
  static String format(java.net.SocketAddress address) {
    String a = String.valueOf(address);
    return a.startsWith("/") ? a.substring(1) : a;
  }

  /** The underlying channel (the raw connection for upgrades). */
  Channel channel();
}
