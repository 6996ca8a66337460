package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.route.MutableHeaders;
import dev.sluice.proxy.core.route.RequestView;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Adapts a Netty request to {@link RequestView} and {@link MutableHeaders} without copying. */
final class NettyRequestView implements RequestView {
  private final HttpRequest request;
  private final String sourceIp;

  NettyRequestView(HttpRequest request, String sourceIp) {
    this.request = request;
    this.sourceIp = sourceIp;
  }

  @Override
  public String authority() {
    String h = request.headers().get("host");
    return h == null ? "" : h;
  }

  @Override
  public String path() {
    return request.uri();
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public @Nullable String header(String lowerCaseName) {
    HttpHeaders h = request.headers();
    List<String> all = h.getAll(lowerCaseName);
    return switch (all.size()) {
      case 0 -> null;
      case 1 -> all.get(0);
      default -> String.join(",", all);
    };
  }

  @Override
  public String sourceIp() {
    return sourceIp;
  }

  /** Header mutations applied to a Netty header map. */
  static MutableHeaders mutable(HttpHeaders h) {
    return new MutableHeaders() {
      @Override
      public @Nullable String get(String name) {
        return h.get(name);
      }

      @Override
      public void add(String name, String value) {
        h.add(name, value);
      }

      @Override
      public void set(String name, String value) {
        h.set(name, value);
      }

      @Override
      public void remove(String name) {
        h.remove(name);
      }
    };
  }
}
