@NullMarked
package dev.sluice.config.yaml;

import org.jspecify.annotations.NullMarked;
