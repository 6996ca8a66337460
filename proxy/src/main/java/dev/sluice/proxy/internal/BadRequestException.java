package dev.sluice.proxy.internal;

/** A malformed or over-limit request head (stackless: an expected data-plane error, STYLE §5). */
final class BadRequestException extends RuntimeException {
  final int status;

  BadRequestException(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }
}
