package dev.sluice.samples.internal.http;

/** A sample's request handler: a function from request to response, run on a virtual thread. */
@FunctionalInterface
public interface Handler {

  /**
   * Answers one request; an exception becomes a plain 500.
   *
   * @throws Exception on unexpected failure
   */
  Response handle(Request request) throws Exception;
}
