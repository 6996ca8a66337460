package dev.sluice.proxy.internal;

/**
 * Local reply bodies, response flags and response code details exactly as Envoy's, since users
 * search for these texts.
 */
final class LocalReplies {
  private LocalReplies() {}

  /** A local reply as Envoy sends it: the text as {@code text/plain}, {@code date} and {@code server}. */
  static io.netty.handler.codec.http.FullHttpResponse response(int status, String text,
      @org.jspecify.annotations.Nullable String location, String serverName) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var content = bytes.length == 0 ? io.netty.buffer.Unpooled.EMPTY_BUFFER : io.netty.buffer.Unpooled.wrappedBuffer(bytes);
    var resp = new io.netty.handler.codec.http.DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
        io.netty.handler.codec.http.HttpResponseStatus.valueOf(status), content);
    var hs = resp.headers();
    hs.setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (bytes.length > 0) {
      hs.set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, "text/plain");
    }
    if (location != null) {
      hs.set(io.netty.handler.codec.http.HttpHeaderNames.LOCATION, location);
    }
    hs.set("date", io.netty.handler.codec.DateFormatter.format(new java.util.Date()));
    hs.set(io.netty.handler.codec.http.HttpHeaderNames.SERVER, serverName);
    return resp;
  }

  static final String NO_HEALTHY_UPSTREAM = "no healthy upstream";
  static final String RESET_PREFIX = "upstream connect error or disconnect/reset before headers. reset reason: ";
  static final String CONNECTION_FAILURE = RESET_PREFIX + "connection failure";
  static final String CONNECTION_TIMEOUT = RESET_PREFIX + "connection timeout";
  static final String CONNECTION_TERMINATION = RESET_PREFIX + "connection termination";
  static final String PROTOCOL_ERROR = RESET_PREFIX + "protocol error";
  static final String OVERFLOW = RESET_PREFIX + "overflow";
  static final String UPSTREAM_TIMEOUT = "upstream request timeout";

  // Response flags.
  static final String NR = "NR";
  static final String UH = "UH";
  static final String UF = "UF";
  static final String UO = "UO";
  static final String NC = "NC";
  static final String UC = "UC";
  static final String UT = "UT";
  static final String UPE = "UPE";
  static final String DPE = "DPE";
  static final String DC = "DC";
  static final String UR = "UR";
  static final String URX = "URX";
  static final String DT = "DT";
}
