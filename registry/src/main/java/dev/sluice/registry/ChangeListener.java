package dev.sluice.registry;

/** Receives change events; called on the thread that made the change, so it must not block. */
@FunctionalInterface
public interface ChangeListener {
  void onChange(ChangeEvent event);
}
