package dev.sluice.proxy.core.listener;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A file access log (Envoy's file or stdout/stderr access loggers).
 *
 * @param path the file, {@code /dev/stdout} or {@code /dev/stderr}
 * @param textFormat a text format with {@code %COMMAND%} operators; {@code null} with an empty
 *     {@code jsonFormat} means Envoy's default format
 * @param jsonFormat JSON keys and their format strings, in order; empty for text
 */
public record AccessLog(String path, @Nullable String textFormat, Map<String, String> jsonFormat) {

  /** Envoy's built-in default format. */
  public static final String DEFAULT_FORMAT =
      "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" "
          + "%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
          + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
          + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n";

  public AccessLog {
    requireNonNull(path, "path");
    jsonFormat = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(jsonFormat));
    if (path.isEmpty()) {
      throw new IllegalArgumentException("path: \"\" (expected: a file path)");
    }
  }

  /** Whether this log writes JSON lines. */
  public boolean isJson() {
    return !jsonFormat.isEmpty();
  }
}
