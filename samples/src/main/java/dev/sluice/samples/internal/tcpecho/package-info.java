/** tcp-echo: answers each line with a prefix, on the ports given as its first argument. Internal: not an API. */
@NullMarked
package dev.sluice.samples.internal.tcpecho;

import org.jspecify.annotations.NullMarked;
