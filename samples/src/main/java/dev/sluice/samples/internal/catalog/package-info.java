/** The catalogue's entries: names, image defaults, ports and launchers. Internal: not an API. */
@NullMarked
package dev.sluice.samples.internal.catalog;

import org.jspecify.annotations.NullMarked;
