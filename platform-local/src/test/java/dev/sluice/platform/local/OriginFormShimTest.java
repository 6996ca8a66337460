package dev.sluice.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginFormShimTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET http://reviews:9080/reviews/0 HTTP/1.1|GET /reviews/0 HTTP/1.1",
      "GET http://details:9080 HTTP/1.1|GET / HTTP/1.1",
      "GET http://h:1?a=b HTTP/1.1|GET /?a=b HTTP/1.1",
      "POST HTTP://H/x?y=/z HTTP/1.1|POST /x?y=/z HTTP/1.1",
      "GET /already HTTP/1.1|GET /already HTTP/1.1",
      "CONNECT example.com:443 HTTP/1.1|CONNECT example.com:443 HTTP/1.1"})
  void absoluteFormBecomesOriginForm(String in, String out) {
    assertThat(OriginFormShim.originForm(in)).isEqualTo(out);
  }

  @Test
  void keepAliveRequestsWithBodiesAreRewrittenOneByOne() throws Exception {
    String in = "POST http://a:1/p HTTP/1.1\r\nHost: a:1\r\nContent-Length: 5\r\n\r\nhello"
        + "GET http://a:1/q HTTP/1.1\r\nHost: a:1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        + "GET http://a:1/r HTTP/1.1\r\nHost: a:1\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OriginFormShim.requests(new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)), out);
    assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(
        "POST /p HTTP/1.1\r\nHost: a:1\r\nContent-Length: 5\r\n\r\nhello"
        + "GET /q HTTP/1.1\r\nHost: a:1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        + "GET /r HTTP/1.1\r\nHost: a:1\r\n\r\n");
  }
}
