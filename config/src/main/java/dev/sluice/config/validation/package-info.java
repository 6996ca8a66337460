@NullMarked
package dev.sluice.config.validation;

import org.jspecify.annotations.NullMarked;
