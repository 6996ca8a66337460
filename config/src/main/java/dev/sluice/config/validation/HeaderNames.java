package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import static dev.sluice.config.GoStrings.quote;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Header names and values in matches, header operations and CORS policies. */
final class HeaderNames {
  private HeaderNames() {}

  private static final java.util.regex.Pattern HEADER_NAME =
      java.util.regex.Pattern.compile("^[!#$%&'*+\\-.^_`|~A-Za-z0-9]+$");
  private static final Set<String> PSEUDO_HEADERS = Set.of(":method", ":scheme", ":authority", ":path", ":status");

  static boolean isValidHeaderName(String name) {
    return HEADER_NAME.matcher(name).matches();
  }

  /** Match keys: header names, pseudo headers and {@code @request.auth.claims} keys. */
  static @Nullable String headerNameOrJwtClaim(String name) {
    if (name.isEmpty()) {
      return "header name cannot be empty";
    }
    if (isJwtClaimKey(name) || PSEUDO_HEADERS.contains(name) || isValidHeaderName(name)) {
      return null;
    }
    return "header name " + name + " is not a valid header name";
  }

  static boolean isJwtClaimKey(String name) {
    String prefix = "@request.auth.claims";
    if (!name.startsWith(prefix)) {
      return false;
    }
    String rest = name.substring(prefix.length());
    return (rest.startsWith(".") && rest.length() > 1) || (rest.startsWith("[") && rest.endsWith("]") && rest.length() > 2);
  }

  static @Nullable String corsHeaderName(String name) {
    if (name.isEmpty()) {
      return "header name cannot be empty";
    }
    return name.equals("*") || isValidHeaderName(name) ? null : "header name " + name + " is not a valid header name";
  }

  static boolean isAuthorityHeader(String name) {
    return name.equalsIgnoreCase(":authority") || name.equalsIgnoreCase("host");
  }

  private static boolean isInternalHeader(String name) {
    return name.startsWith(":") || name.equalsIgnoreCase("host");
  }

  /** Names in request {@code set}/{@code add}: authority may be set there (it is a rewrite). */
  static @Nullable String headerNameWithAuthority(String name) {
    if (name.isEmpty()) {
      return "header name cannot be empty";
    }
    if (isInternalHeader(name) && !isAuthorityHeader(name)) {
      return "invalid header " + quote(name) + ": header cannot have \":\" prefix";
    }
    return null;
  }

  /** Names in request {@code remove} and all response operations. */
  static @Nullable String headerOperationName(String name) {
    if (name.isEmpty()) {
      return "header name cannot be empty";
    }
    if (name.equalsIgnoreCase("host")) {
      return "invalid header " + quote(name) + ": cannot set Host header";
    }
    if (name.startsWith(":")) {
      return "invalid header " + quote(name) + ": header cannot have \":\" prefix";
    }
    return null;
  }

  /** Header values: no control characters, {@code %} escaped or part of an Envoy {@code %VAR%}. */
  static @Nullable String headerValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c <= 0x08) || (c >= 0x0A && c <= 0x1F) || c == 0x7F) {
        return "header value configuration " + value + " is invalid";
      }
    }
    String err = HeaderValueSyntax.check(value);
    return err == null ? null : "header value configuration: " + err;
  }

}
