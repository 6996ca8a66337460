package dev.sluice.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads configuration from files, directories ({@code .yaml}, {@code .yml} and {@code .json}
 * files, sorted by name; recursively when asked) and standard input ({@code -}).
 */
public final class ConfigSources {
  private final ConfigLoader loader;

  public ConfigSources(ConfigLoader loader) {
    this.loader = loader;
  }

  public ConfigSources() {
    this(new ConfigLoader());
  }

  /** Loads every path in order; a path that does not exist is a problem, not an exception. */
  public LoadResult load(List<String> paths, boolean recursive, InputStream stdin) {
    LoadResult result = LoadResult.empty();
    for (String p : paths) {
      if (p.equals("-")) {
        result = result.plus(loader.load("-", new InputStreamReader(stdin, StandardCharsets.UTF_8)));
        continue;
      }
      Path path = Path.of(p);
      if (Files.isDirectory(path)) {
        for (Path file : filesIn(path, recursive)) {
          result = result.plus(loadFile(file, file.toString()));
        }
      } else if (Files.isRegularFile(path)) {
        result = result.plus(loadFile(path, p));
      } else {
        result = result.plus(problem(p, "no such file or directory"));
      }
    }
    return result;
  }

  /** The YAML and JSON files of a directory, sorted by path. */
  public static List<Path> filesIn(Path dir, boolean recursive) {
    try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(ConfigSources::isConfigFile).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static boolean isConfigFile(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private LoadResult loadFile(Path file, String name) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return loader.load(name, r);
    } catch (IOException | java.io.UncheckedIOException e) {
      return problem(name, "cannot read: " + e.getMessage());
    }
  }

  private static LoadResult problem(String file, String message) {
    return new LoadResult(List.of(), List.of(new LoadProblem(new Origin(file, 0), "", "", "", message)),
        new ArrayList<UnknownObject>());
  }
}
