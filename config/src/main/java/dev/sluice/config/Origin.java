package dev.sluice.config;

import static java.util.Objects.requireNonNull;

/**
 * Where a resource (or one of its fields) was read from: a file name as the user gave it, and a
 * 1-based line. {@code line} is 0 when unknown (resources created in code).
 */
public record Origin(String file, int line) {
  public static final Origin NONE = new Origin("", 0);

  public Origin {
    requireNonNull(file, "file");
    if (line < 0) {
      throw new IllegalArgumentException("line: " + line + " (expected: >= 0)");
    }
  }

  /** {@code file:line}, or just the file (or nothing) when parts are unknown. */
  @Override
  public String toString() {
    if (file.isEmpty()) {
      return line > 0 ? "line " + line : "";
    }
    return line > 0 ? file + ":" + line : file;
  }
}
