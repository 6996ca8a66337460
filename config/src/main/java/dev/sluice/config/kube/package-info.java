@NullMarked
package dev.sluice.config.kube;

import org.jspecify.annotations.NullMarked;
