package dev.sluice.samples.internal.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HTTP response a sample handler returns: status, headers in order, body.
 *
 * @param status the status code
 * @param headers name/value pairs in the order to send
 * @param body the body (empty for none)
 */
public record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {

  /** Validates and copies. */
  public Response {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status: " + status + " (expected: 100..999)");
    }
    headers = List.copyOf(requireNonNull(headers, "headers"));
    requireNonNull(body, "body");
  }

  /** A response with a text body and the given content type. */
  public static Response text(int status, String contentType, String body) {
    return new Response(status, List.of(Map.entry("Content-Type", contentType)),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON body ({@code application/json}). */
  public static Response json(int status, String body) {
    return text(status, "application/json", body);
  }

  /** A response without a body and without headers. */
  public static Response empty(int status) {
    return new Response(status, List.of(), new byte[0]);
  }

  /** This response with one more header. */
  public Response withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(headers);
    more.add(Map.entry(name, value));
    return new Response(status, more, body);
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
