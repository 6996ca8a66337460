/** The {@code sluice} command line: istioctl's verbs (and kubectl's for the local platform). */
@NullMarked
package dev.sluice.cli;

import org.jspecify.annotations.NullMarked;
