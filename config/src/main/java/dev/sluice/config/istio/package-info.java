@NullMarked
package dev.sluice.config.istio;

import org.jspecify.annotations.NullMarked;
