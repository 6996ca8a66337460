package dev.sluice.samples.internal.tcpecho;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP listener serving each connection on a virtual thread; closing it closes every connection. */
final class TcpServer implements AutoCloseable {

  /** Serves one accepted connection; the socket is closed afterwards. */
  @FunctionalInterface
  interface ConnectionHandler {
    void serve(Socket socket) throws IOException;
  }

  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private TcpServer(ServerSocket server, ConnectionHandler handler) {
    this.server = server;
    this.acceptor = Thread.ofVirtual().name("tcp-accept-" + server.getLocalPort()).start(() -> {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          open.add(socket);
          Thread.ofVirtual().start(() -> {
            try (socket) {
              handler.serve(socket);
            } catch (IOException e) {
              // The peer went away: nothing to answer.
            } finally {
              open.remove(socket);
            }
          });
        } catch (IOException e) {
          return; // closed
        }
      }
    });
  }

  static TcpServer start(String address, int port, ConnectionHandler handler) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 128);
    return new TcpServer(server, handler);
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    acceptor.interrupt();
  }
}
