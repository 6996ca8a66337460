package dev.sluice.samples.internal.bookinfo;

import dev.sluice.samples.internal.http.JsonText;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.zip.Inflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * productpage's session cookie in Flask's format ({@code itsdangerous} timestamp signer, salt
 * {@code cookie-session}, HMAC-SHA1 with the sample's published secret key), so that a cookie
 * issued by the original productpage is accepted here and the other way round.
 */
final class FlaskSession {

  /** The cookie name. */
  static final String COOKIE = "session";

  // productpage.py's app.secret_key, b'_5#y2L"F4Q8z\n\xec]/': a published sample key.
  private static final byte[] SECRET = {
      '_', '5', '#', 'y', '2', 'L', '"', 'F', '4', 'Q', '8', 'z', '\n', (byte) 0xec, ']', '/'};
  private static final Duration MAX_AGE = Duration.ofDays(31);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final byte[] KEY = hmac(SECRET, "cookie-session".getBytes(StandardCharsets.US_ASCII));

  private FlaskSession() {}

  /** The cookie value for a session holding {@code user}, signed at {@code now}. */
  static String issue(String user, Instant now) {
    String json = JsonText.write(Map.of("user", user), JsonText.Style.PYTHON_COMPACT);
    String payload = B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    String value = payload + "." + B64.encodeToString(minimal(now.getEpochSecond()));
    return value + "." + sign(value);
  }

  /** The {@code user} in a valid, unexpired cookie value, else null. */
  static @Nullable String user(@Nullable String cookie, Instant now) {
    if (cookie == null) {
      return null;
    }
    int sigAt = cookie.lastIndexOf('.');
    if (sigAt <= 0) {
      return null;
    }
    String value = cookie.substring(0, sigAt);
    if (!MessageDigest.isEqual(sign(value).getBytes(StandardCharsets.US_ASCII),
        cookie.substring(sigAt + 1).getBytes(StandardCharsets.US_ASCII))) {
      return null;
    }
    int tsAt = value.lastIndexOf('.');
    try {
      long ts = new BigInteger(1, B64D.decode(value.substring(tsAt + 1))).longValueExact();
      if (Instant.ofEpochSecond(ts).plus(MAX_AGE).isBefore(now)) {
        return null;
      }
      String payload = value.substring(0, tsAt);
      byte[] json = payload.startsWith(".")
          ? inflate(B64D.decode(payload.substring(1))) : B64D.decode(payload);
      Object session = JsonText.parse(new String(json, StandardCharsets.UTF_8));
      return session instanceof Map<?, ?> map && map.get("user") instanceof String u ? u : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String sign(String value) {
    return B64.encodeToString(hmac(KEY, value.getBytes(StandardCharsets.US_ASCII)));
  }

  // Python's int.to_bytes(ceil(bit_length / 8), "big").
  private static byte[] minimal(long n) {
    byte[] b = BigInteger.valueOf(n).toByteArray();
    int skip = 0;
    while (skip < b.length - 1 && b[skip] == 0) {
      skip++;
    }
    return java.util.Arrays.copyOfRange(b, skip, b.length);
  }

  private static byte[] inflate(byte[] data) throws java.util.zip.DataFormatException {
    Inflater inflater = new Inflater();
    inflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[512];
    while (!inflater.finished()) {
      int n = inflater.inflate(buf);
      if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
        break;
      }
      out.write(buf, 0, n);
    }
    inflater.end();
    return out.toByteArray();
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }
}
