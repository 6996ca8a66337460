package dev.sluice.registry;

import dev.sluice.config.Resource;
import java.util.List;
import java.util.Optional;

/**
 * Validated Istio configuration. Objects with validation errors are rejected whole, with the
 * messages; warnings are kept. Reads return immutable snapshots sorted by kind, namespace, name.
 */
public interface ConfigStore {
  /** Validates and stores {@code resource}. */
  ApplyResult apply(Resource resource);

  /** Deletes an object; {@link ApplyResult.Status#DELETED} or {@code UNCHANGED} when absent. */
  ApplyResult delete(Resource.Key key);

  /** All objects. */
  List<Resource> list();

  /** One object. */
  Optional<Resource> get(Resource.Key key);

  /** A number that grows with each change. */
  long revision();

  /** Registers a listener for changes. */
  void addListener(ChangeListener listener);
}
