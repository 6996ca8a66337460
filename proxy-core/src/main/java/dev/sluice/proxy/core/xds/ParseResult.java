package dev.sluice.proxy.core.xds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The valid resources of one xDS response by name, and one error per invalid resource. One bad
 * resource does not affect the others (STYLE §5).
 */
public record ParseResult<T>(Map<String, T> resources, List<ResourceError> errors) {
  public ParseResult {
    resources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(resources));
    errors = List.copyOf(errors);
  }

  /** Whether every resource parsed. */
  public boolean ok() {
    return errors.isEmpty();
  }

  /** All errors, one per line, for a NACK. */
  public String errorDetail() {
    return errors.stream().map(ResourceError::toString).collect(Collectors.joining("\n"));
  }
}
