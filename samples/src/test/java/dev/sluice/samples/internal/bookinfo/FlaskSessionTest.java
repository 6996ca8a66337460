package dev.sluice.samples.internal.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The session cookie is Flask's: one issued by the original productpage is accepted, and ours is identical. */
class FlaskSessionTest {

  // Issued by Flask 3.1 with productpage's secret key for POST /login username=jason.
  static final String FLASK_COOKIE = "eyJ1c2VyIjoiamFzb24ifQ.awIuNg.Bci3Gad2GbEzrAF0F4VpdGZBasI";
  static final Instant ISSUED = Instant.ofEpochSecond(
      new BigInteger(1, Base64.getUrlDecoder().decode("awIuNg")).longValueExact());

  @Test
  void acceptsTheOriginalsCookie() {
    assertThat(FlaskSession.user(FLASK_COOKIE, ISSUED.plusSeconds(60))).isEqualTo("jason");
  }

  @Test
  void issuesTheSameBytesAsFlask() {
    assertThat(FlaskSession.issue("jason", ISSUED)).isEqualTo(FLASK_COOKIE);
  }

  @Test
  void rejectsTamperedAndExpiredCookies() {
    assertThat(FlaskSession.user(FLASK_COOKIE.replace("eyJ1c2VyIjoiamFzb24ifQ", "eyJ1c2VyIjoiYWRtaW4ifQ"),
        ISSUED)).isNull();
    assertThat(FlaskSession.user(FLASK_COOKIE, ISSUED.plus(Duration.ofDays(32)))).isNull();
    assertThat(FlaskSession.user("garbage", ISSUED)).isNull();
    assertThat(FlaskSession.user(null, ISSUED)).isNull();
  }

  @Test
  void roundTripsNonAsciiNames() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(FlaskSession.user(FlaskSession.issue("José \"<x>\"", now), now)).isEqualTo("José \"<x>\"");
  }
}
