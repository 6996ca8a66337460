package dev.sluice.samples.internal.httpbin;

/** Which httpbin to mimic: the answers' JSON shapes, errors and logs differ. */
public enum Flavor {
  /** {@code mccutchen/go-httpbin} (Istio's {@code samples/httpbin} today): port 8080, header values as arrays. */
  GO,
  /** {@code kennethreitz/httpbin} (the mirroring task): port 80, header values as strings, sorted keys. */
  PYTHON;

  /** The header name as the server presents it ({@code X-B3-Traceid}). */
  String canonical(String lowerName) {
    StringBuilder out = new StringBuilder(lowerName.length());
    boolean upper = true;
    for (int i = 0; i < lowerName.length(); i++) {
      char c = lowerName.charAt(i);
      out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      // Go capitalizes after '-' only; Python's str.title() after any non-letter.
      upper = this == GO ? c == '-' : !Character.isLetter(c);
    }
    return out.toString();
  }
}
