/**
 * Istio's sample applications, re-implemented in Java so that the local platform can run
 * Istio's tutorials unchanged: Bookinfo (productpage, details, reviews v1/v2/v3, ratings),
 * helloworld v1/v2, the istio-tutorial's customer → preference → recommendation, httpbin,
 * sleep/curl and tcp-echo.
 *
 * <p>The platform maps a container image to a {@link dev.sluice.samples.Sample} with
 * {@link dev.sluice.samples.SampleCatalog#forImage(String)} and starts it with a
 * {@link dev.sluice.samples.SampleContext} (listen address, port mapping, the container's env,
 * command and args, pod metadata); {@link dev.sluice.samples.SampleMain} runs one sample as a
 * process of its own.
 */
@NullMarked
package dev.sluice.samples;

import org.jspecify.annotations.NullMarked;
