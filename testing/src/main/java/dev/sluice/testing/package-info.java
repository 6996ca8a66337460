/** Fixtures shared by the test suites of several modules (test scope only). */
@NullMarked
package dev.sluice.testing;

import org.jspecify.annotations.NullMarked;
