/** A directory of YAML files as the source of both the config store and the service registry. */
@NullMarked
package dev.sluice.registry.file;

import org.jspecify.annotations.NullMarked;
