package dev.sluice.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends raw bytes and reads until the server closes (or a timeout), for malformed-input tests. */
final class RawHttp {
  private RawHttp() {}

  static String exchange(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          if (complete(out.toString(StandardCharsets.ISO_8859_1))) {
            break;
          }
        }
      } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
        // return what we have
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** One full response with Content-Length received. */
  private static boolean complete(String s) {
    int end = s.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    int cl = s.toLowerCase().indexOf("content-length:");
    if (cl < 0 || cl > end) {
      return false;
    }
    int eol = s.indexOf("\r\n", cl);
    int len = Integer.parseInt(s.substring(cl + 15, eol).trim());
    return s.length() >= end + 4 + len;
  }
}
