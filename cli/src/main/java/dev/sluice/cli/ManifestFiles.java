package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code -f FILE|DIR|-} as kubectl reads it: files, directories (.yaml/.yml/.json, sorted), or stdin. */
final class ManifestFiles {
  private ManifestFiles() {}

  /** All documents of the inputs as one YAML stream. */
  static String read(List<String> inputs, InputStream stdin) throws IOException {
    List<String> docs = new ArrayList<>();
    for (String in : inputs) {
      if (in.equals("-")) {
        docs.add(new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
        continue;
      }
      Path p = Path.of(in);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          for (Path f : s.filter(Files::isRegularFile).filter(ManifestFiles::manifest).sorted().toList()) {
            docs.add(Files.readString(f));
          }
        }
      } else if (Files.isRegularFile(p)) {
        docs.add(Files.readString(p));
      } else {
        throw new IOException("the path \"" + in + "\" does not exist");
      }
    }
    return String.join("\n---\n", docs);
  }

  private static boolean manifest(Path f) {
    String n = f.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }
}
