package dev.sluice.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ServiceRegistry} held in memory, fed by tests, the file source and platforms. Writers
 * are serialized (read-modify-write under one lock, so concurrent puts are never lost); readers see
 * immutable snapshots without locking. Events are delivered after the change is visible.
 */
public final class InMemoryServiceRegistry implements ServiceRegistry {
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, MeshService> services = Map.of();
  // By key; null after a single-instance change until a bulk change needs it again (rebuilt from
  // instanceList, so a stream of endpoint changes copies no map). Guarded by this.
  private @Nullable Map<String, WorkloadInstance> instances = Map.of();
  private volatile List<MeshService> serviceList = List.of();
  private volatile List<WorkloadInstance> instanceList = List.of();
  private volatile long revision;

  @Override
  public List<MeshService> services() {
    return serviceList;
  }

  @Override
  public List<WorkloadInstance> instances() {
    return instanceList;
  }

  @Override
  public long revision() {
    return revision;
  }

  @Override
  public void addListener(ChangeListener listener) {
    listeners.add(listener);
  }

  /** Adds or replaces a service. */
  public synchronized void putService(MeshService s) {
    replace(merge(services, Map.of(s.hostname(), s), Set.of()), instanceMap());
  }

  /** Removes a service by hostname. */
  public synchronized void removeService(String hostname) {
    replace(merge(services, Map.of(), Set.of(hostname)), instanceMap());
  }

  /** Adds or replaces a workload instance. */
  public synchronized void putInstance(WorkloadInstance w) {
    replaceInstance(w.key(), w);
  }

  /** Removes a workload instance by {@code namespace/name}. */
  public synchronized void removeInstance(String key) {
    replaceInstance(key, null);
  }

  /**
   * One instance put or removed: the common endpoint change (a pod turning ready). The sorted list
   * is copied and one slot changes (no map copy, no re-sorting or diffing of 10,000 instances), and
   * the other instances keep their positions in {@link #instances()}, so a snapshot builder
   * comparing by identity finds the change at once.
   */
  private void replaceInstance(String key, @Nullable WorkloadInstance w) {
    int at = indexOf(instanceList, key);
    WorkloadInstance old = at >= 0 ? instanceList.get(at) : null;
    if (java.util.Objects.equals(old, w)) {
      return;
    }
    List<WorkloadInstance> list = new ArrayList<>(instanceList);
    if (w == null) {
      list.remove(at);
    } else if (at >= 0) {
      list.set(at, w);
    } else {
      list.add(-at - 1, w);
    }
    instances = null;
    instanceList = java.util.Collections.unmodifiableList(list);
    revision++;
    ChangeEvent e = new ChangeEvent.InstancesChanged(Set.of(key));
    for (ChangeListener l : listeners) {
      l.onChange(e);
    }
  }

  /** {@link java.util.Collections#binarySearch}'s result for {@code key} in {@code list} (sorted by key). */
  private static int indexOf(List<WorkloadInstance> list, String key) {
    return java.util.Collections.binarySearch(new Keys(list), key);
  }

  /** The keys of a sorted instance list, as a view (random access, so the search is indexed). */
  private static final class Keys extends java.util.AbstractList<String> implements java.util.RandomAccess {
    private final List<WorkloadInstance> list;

    Keys(List<WorkloadInstance> list) {
      this.list = list;
    }

    @Override
    public String get(int i) {
      return list.get(i).key();
    }

    @Override
    public int size() {
      return list.size();
    }
  }

  /** Replaces everything (a platform's full resync), publishing only what differs. */
  public synchronized void replaceAll(List<MeshService> newServices, List<WorkloadInstance> newInstances) {
    Map<String, MeshService> s = new TreeMap<>();
    newServices.forEach(x -> s.put(x.hostname(), x));
    Map<String, WorkloadInstance> w = new TreeMap<>();
    newInstances.forEach(x -> w.put(x.key(), x));
    replace(s, w);
  }

  private Map<String, WorkloadInstance> instanceMap() {
    Map<String, WorkloadInstance> m = instances;
    if (m == null) {
      Map<String, WorkloadInstance> byKey = new java.util.HashMap<>();
      instanceList.forEach(w -> byKey.put(w.key(), w));
      m = java.util.Collections.unmodifiableMap(byKey);
      instances = m;
    }
    return m;
  }

  private static <T> Map<String, T> merge(Map<String, T> base, Map<String, T> put, Set<String> remove) {
    Map<String, T> m = new TreeMap<>(base);
    m.putAll(put);
    remove.forEach(m::remove);
    return m;
  }

  private void replace(Map<String, MeshService> s, Map<String, WorkloadInstance> w) {
    Set<String> changedServices;
    Set<String> changedInstances;
    synchronized (this) {
      changedServices = diff(services, s);
      changedInstances = diff(instanceMap(), w);
      if (changedServices.isEmpty() && changedInstances.isEmpty()) {
        return;
      }
      services = Map.copyOf(s);
      instances = Map.copyOf(w);
      serviceList = List.copyOf(new TreeMap<>(s).values());
      instanceList = List.copyOf(new TreeMap<>(w).values());
      revision++;
    }
    ChangeEvent e = changedServices.isEmpty()
        ? new ChangeEvent.InstancesChanged(changedInstances)
        : new ChangeEvent.ServicesChanged(changedServices);
    for (ChangeListener l : listeners) {
      l.onChange(e);
    }
  }

  private static <T> Set<String> diff(Map<String, T> a, Map<String, T> b) {
    Set<String> out = new HashSet<>();
    for (var e : a.entrySet()) {
      if (!e.getValue().equals(b.get(e.getKey()))) {
        out.add(e.getKey());
      }
    }
    for (String k : b.keySet()) {
      if (!a.containsKey(k)) {
        out.add(k);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "InMemoryServiceRegistry[" + serviceList.size() + " services, " + instanceList.size()
        + " instances, revision " + revision + "]";
  }

  /** Services and instances as plain lists, for diagnostics. */
  List<Object> dump() {
    List<Object> out = new ArrayList<>(serviceList);
    out.addAll(instanceList);
    return out;
  }
}
