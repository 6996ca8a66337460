package dev.sluice.proxy.core.listener;

/** The terminal network filter of a listener. */
public sealed interface NetworkFilter permits HttpConnectionManager, TcpProxy {

  /** The prefix of this filter's statistics ({@code http.<prefix>.*} or {@code tcp.<prefix>.*}). */
  String statPrefix();
}
