@NullMarked
package dev.sluice.config.analysis;

import org.jspecify.annotations.NullMarked;
