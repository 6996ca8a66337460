package dev.sluice.proxy.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "null", value = {
      "reviews:9080, reviews:9080",
      "reviews, reviews:80",
      "10.0.0.1:8080, 10.0.0.1:8080",
      "[::1]:9000, [::1]:9000",
      "[::1], [::1]:80",
      "'', null",
      ":80, null",
      "host:0, null",
      "host:70000, null",
      "host:8x, null",
      "::1, null",
      "[::1, null",
      "[::1]x, null",
      "a b:80, null",
      "user@host:80, null",
  })
  void originalDestinationFromAuthority(String authority, String expected) {
    Endpoint e = Endpoint.fromAuthority(authority, 80);
    assertThat(e == null ? null : e.hostPort()).isEqualTo(expected);
  }
}
