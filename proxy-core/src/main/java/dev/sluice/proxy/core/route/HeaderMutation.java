package dev.sluice.proxy.core.route;

import java.util.List;

/** Headers removed, then headers added, at one level (route config, virtual host, route, ...). */
public record HeaderMutation(List<HeaderValueOption> add, List<String> remove) {

  /** No change. */
  public static final HeaderMutation NONE = new HeaderMutation(List.of(), List.of());

  public HeaderMutation {
    add = List.copyOf(add);
    remove = List.copyOf(remove);
  }

  /** Whether this mutation changes nothing. */
  public boolean isEmpty() {
    return add.isEmpty() && remove.isEmpty();
  }

  /** Removes, then adds. */
  public void apply(MutableHeaders headers) {
    for (int i = 0; i < remove.size(); i++) {
      headers.remove(remove.get(i));
    }
    for (int i = 0; i < add.size(); i++) {
      add.get(i).apply(headers);
    }
  }
}
