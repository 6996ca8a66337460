/**
 * Istio's analyzers, one class each (package-private), listed by {@link Analyzers}, and the helpers
 * they share: host names ({@link Hosts}), the service registry ({@link ServiceRegistry}) and label
 * selection ({@link Selectors}).
 */
@NullMarked
package dev.sluice.config.analysis.analyzers;

import org.jspecify.annotations.NullMarked;
