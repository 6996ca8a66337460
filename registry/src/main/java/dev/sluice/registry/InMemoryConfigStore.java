package dev.sluice.registry;

import dev.sluice.config.Resource;
import dev.sluice.config.validation.Issue;
import dev.sluice.config.validation.Validation;
import dev.sluice.config.validation.ValidationResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ConfigStore} in memory. Writers are serialized; readers never lock. */
public final class InMemoryConfigStore implements ConfigStore {
  private static final Comparator<Resource.Key> ORDER = Comparator
      .comparing((Resource.Key k) -> k.kind().ordinal())
      .thenComparing(Resource.Key::namespace)
      .thenComparing(Resource.Key::name);

  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<Resource.Key, Resource> objects = Map.of();
  private volatile List<Resource> list = List.of();
  private volatile long revision;
  private final Map<Resource.Key, java.time.Instant> created = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public ApplyResult apply(Resource resource) {
    if (!resource.kind().isIstio()) {
      return new ApplyResult(resource.key(), ApplyResult.Status.REJECTED,
          List.of("kind " + resource.kind().kind() + " is not Istio config (expected: networking.istio.io or "
              + "security.istio.io)"));
    }
    Resource r = resource.withDefaultNamespace("default");
    ValidationResult v = Validation.validate(r);
    if (v.hasErrors()) {
      return new ApplyResult(r.key(), ApplyResult.Status.REJECTED, messages(v.errors()));
    }
    ApplyResult.Status status;
    synchronized (this) {
      Resource old = objects.get(r.key());
      if (old != null && same(old, r)) {
        return new ApplyResult(r.key(), ApplyResult.Status.UNCHANGED, messages(v.warnings()));
      }
      status = old == null ? ApplyResult.Status.CREATED : ApplyResult.Status.CONFIGURED;
      Map<Resource.Key, Resource> m = new TreeMap<>(ORDER);
      m.putAll(objects);
      m.put(r.key(), r);
      publish(m);
    }
    fire(Set.of(r.key().toString()));
    return new ApplyResult(r.key(), status, messages(v.warnings()));
  }

  @Override
  public ApplyResult delete(Resource.Key key) {
    synchronized (this) {
      if (!objects.containsKey(key)) {
        return new ApplyResult(key, ApplyResult.Status.UNCHANGED, List.of("not found"));
      }
      Map<Resource.Key, Resource> m = new TreeMap<>(ORDER);
      m.putAll(objects);
      m.remove(key);
      publish(m);
    }
    fire(Set.of(key.toString()));
    return new ApplyResult(key, ApplyResult.Status.DELETED, List.of());
  }

  /**
   * Applies {@code resources} all or nothing (one {@code kubectl apply -f}): when any of them is
   * invalid, nothing is stored and every invalid one is {@link ApplyResult.Status#REJECTED} with its
   * messages (the valid ones are reported {@code REJECTED} with "not applied"); otherwise all are
   * stored with one change event.
   */
  public List<ApplyResult> applyAll(List<Resource> resources) {
    List<Resource> normalized = new ArrayList<>();
    List<ValidationResult> validations = new ArrayList<>();
    boolean invalid = false;
    for (Resource resource : resources) {
      Resource r = resource.withDefaultNamespace("default");
      ValidationResult v = r.kind().isIstio() ? Validation.validate(r) : null;
      invalid |= v == null || v.hasErrors();
      normalized.add(r);
      validations.add(v);
    }
    List<ApplyResult> results = new ArrayList<>();
    if (invalid) {
      for (int i = 0; i < normalized.size(); i++) {
        Resource r = normalized.get(i);
        ValidationResult v = validations.get(i);
        results.add(v == null ? apply(r) : v.hasErrors()
            ? new ApplyResult(r.key(), ApplyResult.Status.REJECTED, messages(v.errors()))
            : new ApplyResult(r.key(), ApplyResult.Status.REJECTED,
                List.of("not applied: other objects of this apply are invalid")));
      }
      return results;
    }
    Set<String> changed = new HashSet<>();
    synchronized (this) {
      Map<Resource.Key, Resource> m = new TreeMap<>(ORDER);
      m.putAll(objects);
      for (int i = 0; i < normalized.size(); i++) {
        Resource r = normalized.get(i);
        Resource old = m.get(r.key());
        ApplyResult.Status s = old == null ? ApplyResult.Status.CREATED
            : same(old, r) ? ApplyResult.Status.UNCHANGED : ApplyResult.Status.CONFIGURED;
        if (s != ApplyResult.Status.UNCHANGED) {
          changed.add(r.key().toString());
          m.put(r.key(), r);
        }
        results.add(new ApplyResult(r.key(), s, messages(validations.get(i).warnings())));
      }
      if (!changed.isEmpty()) {
        publish(m);
      }
    }
    if (!changed.isEmpty()) {
      fire(changed);
    }
    return results;
  }

  /** When an object was first stored (by this store), if it is stored. */
  public Optional<java.time.Instant> created(Resource.Key key) {
    return objects.containsKey(key) ? Optional.ofNullable(created.get(key)) : Optional.empty();
  }

  /**
   * Makes the store hold exactly {@code resources} (a directory's contents): valid ones are stored,
   * invalid ones rejected, everything else deleted; one event for all changes.
   */
  public List<ApplyResult> replaceAll(List<Resource> resources) {
    List<ApplyResult> results = new ArrayList<>();
    Map<Resource.Key, Resource> next = new TreeMap<>(ORDER);
    for (Resource resource : resources) {
      Resource r = resource.withDefaultNamespace("default");
      if (!r.kind().isIstio()) {
        continue;
      }
      ValidationResult v = Validation.validate(r);
      if (v.hasErrors()) {
        results.add(new ApplyResult(r.key(), ApplyResult.Status.REJECTED, messages(v.errors())));
        continue;
      }
      next.put(r.key(), r);
    }
    Set<String> changed = new HashSet<>();
    synchronized (this) {
      for (var e : next.entrySet()) {
        Resource old = objects.get(e.getKey());
        ApplyResult.Status s = old == null ? ApplyResult.Status.CREATED
            : same(old, e.getValue()) ? ApplyResult.Status.UNCHANGED : ApplyResult.Status.CONFIGURED;
        if (s != ApplyResult.Status.UNCHANGED) {
          changed.add(e.getKey().toString());
        }
        results.add(new ApplyResult(e.getKey(), s, List.of()));
      }
      for (Resource.Key k : objects.keySet()) {
        if (!next.containsKey(k)) {
          changed.add(k.toString());
          results.add(new ApplyResult(k, ApplyResult.Status.DELETED, List.of()));
        }
      }
      if (changed.isEmpty()) {
        return results;
      }
      publish(next);
    }
    fire(changed);
    return results;
  }

  private void publish(Map<Resource.Key, Resource> m) {
    java.time.Instant now = java.time.Instant.now();
    m.keySet().forEach(k -> created.putIfAbsent(k, now));
    created.keySet().retainAll(m.keySet());
    objects = java.util.Collections.unmodifiableMap(m);
    list = List.copyOf(m.values());
    revision++;
  }

  private static boolean same(Resource a, Resource b) {
    return a.spec().equals(b.spec()) && a.meta().equals(b.meta());
  }

  private static List<String> messages(List<Issue> issues) {
    return issues.stream().map(i -> (i.path().isEmpty() ? "" : i.path() + ": ") + i.message()).toList();
  }

  private void fire(Set<String> keys) {
    ChangeEvent e = new ChangeEvent.ConfigChanged(keys);
    for (ChangeListener l : listeners) {
      l.onChange(e);
    }
  }

  @Override
  public List<Resource> list() {
    return list;
  }

  @Override
  public Optional<Resource> get(Resource.Key key) {
    return Optional.ofNullable(objects.get(key));
  }

  @Override
  public long revision() {
    return revision;
  }

  @Override
  public void addListener(ChangeListener listener) {
    listeners.add(listener);
  }
}
