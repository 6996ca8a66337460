package dev.sluice.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's HTTP/1 request decoder behind a strict check of each complete request head, done
 * before Netty parses it: NUL, bare CR or bare LF anywhere, obs-fold continuation lines, non-token
 * characters in header names (including a space before the colon), control characters in values
 * give 400; more than {@code maxHeaders} header lines give 431. Netty itself rejects
 * Content-Length with Transfer-Encoding, bad chunk sizes and heads over the size limit (431).
 * After a bad head every further byte of the connection is discarded (it gets closed).
 *
 * <p>Pipeline position: first handler of an HTTP/1 downstream connection.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
  private static final int NEED_MORE = -1;
  private static final int BAD = -2;
  private static final int TOO_MANY = -3;

  private final int maxHeaders;
  private final int maxHeadBytes;
  private boolean headMode = true;
  private boolean bad;
  private String badDetail = "";

  StrictRequestDecoder(int maxHeaderBytes, int maxHeaders) {
    super(new HttpDecoderConfig()
        .setMaxInitialLineLength(maxHeaderBytes)
        .setMaxHeaderSize(maxHeaderBytes)
        .setMaxChunkSize(64 * 1024)
        .setStrictLineParsing(true)
        .setValidateHeaders(true));
    this.maxHeaders = maxHeaders;
    this.maxHeadBytes = maxHeaderBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (bad) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (headMode) {
      int r = scanHead(in);
      if (r == NEED_MORE) {
        if (in.readableBytes() <= 2L * maxHeadBytes) {
          return; // wait for the rest of the head
        }
        headMode = false; // let Netty produce its "too long" failure
      } else if (r == BAD || r == TOO_MANY) {
        out.add(invalid(r == BAD ? 400 : 431, badDetail));
        bad = true;
        in.skipBytes(in.readableBytes());
        return;
      } else {
        headMode = false;
      }
    }
    int before = out.size();
    super.decode(ctx, in, out);
    for (int k = before; k < out.size(); k++) {
      Object o = out.get(k);
      if (o instanceof HttpMessage m && m.decoderResult().isFailure()) {
        bad = true;
      }
      if (o instanceof LastHttpContent) {
        headMode = true;
      }
    }
  }

  private static HttpMessage invalid(int status, String detail) {
    DefaultHttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    req.setDecoderResult(DecoderResult.failure(new BadRequestException(status, detail)));
    return req;
  }

  /** Checks the head; returns its length, {@link #NEED_MORE}, {@link #BAD} or {@link #TOO_MANY}. */
  private int scanHead(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int i = start;
    // RFC 9112 §2.2: ignore empty lines before the request line.
    while (i + 1 < end && in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
      i += 2;
    }
    int line = 0;
    int headers = 0;
    int lineStart = i;
    boolean inValue = false;
    for (; i < end; i++) {
      byte b = in.getByte(i);
      if (b == '\r') {
        if (i + 1 >= end) {
          return NEED_MORE;
        }
        if (in.getByte(i + 1) != '\n') {
          return bad("bare CR in request head");
        }
        continue;
      }
      if (b == '\n') {
        if (i == start || in.getByte(i - 1) != '\r') {
          return bad("bare LF in request head");
        }
        int len = i - 1 - lineStart;
        if (line > 0 && len == 0) {
          return i + 1 - start;
        }
        if (line > 0 && !inValue) {
          return bad("header line without ':'");
        }
        if (line > 0 && ++headers > maxHeaders) {
          badDetail = "too many headers";
          return TOO_MANY;
        }
        line++;
        lineStart = i + 1;
        inValue = false;
        continue;
      }
      if (b == 0) {
        return bad("NUL in request head");
      }
      if (line == 0) {
        if (b < 0x20 && b != '\t' || b == 0x7F) {
          return bad("control character in request line");
        }
        continue;
      }
      if (i == lineStart && (b == ' ' || b == '\t')) {
        return bad("obs-fold (line folding) in headers");
      }
      if (!inValue) {
        if (b == ':') {
          if (i == lineStart) {
            return bad("empty header name");
          }
          inValue = true;
        } else if (!isTchar(b)) {
          return bad("invalid character in header name");
        }
      } else if ((b < 0x20 && b != '\t') || b == 0x7F) {
        return bad("control character in header value");
      }
    }
    return NEED_MORE;
  }

  private int bad(String detail) {
    badDetail = detail;
    return BAD;
  }

  private static boolean isTchar(byte b) {
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
      return true;
    }
    return switch (b) {
      case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
      default -> false;
    };
  }
}
