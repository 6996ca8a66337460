package dev.sluice.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.Predicate;

/** Reading Bookinfo's product page as Istio's task docs do. */
final class Bookinfo {
  private Bookinfo() {}

  static final String REVIEWS_UNAVAILABLE = "Sorry, product reviews are currently unavailable for this book.";
  static final String RATINGS_UNAVAILABLE = "Ratings service is currently unavailable";

  /** Which reviews version rendered a page: none (v1), black (v2), red (v3), or error. */
  enum Stars {
    NONE, BLACK, RED, ERROR
  }

  static Stars stars(String page) {
    if (page.contains(REVIEWS_UNAVAILABLE) || !page.contains("Reviews served by")) {
      return Stars.ERROR;
    }
    if (page.contains("gap-x-1 text-red-500")) {
      return Stars.RED;
    }
    if (page.contains("gap-x-1 text-black-500")) {
      return Stars.BLACK;
    }
    return page.contains("glyphicon glyphicon-star") ? Stars.ERROR : Stars.NONE;
  }

  /** The product page through the gateway, as the user with this session cookie (or anonymous). */
  static String page(Mesh mesh, String cookie) {
    var r = cookie == null ? mesh.gateway("/productpage") : mesh.gateway("/productpage", "Cookie", cookie);
    return r.statusCode() + "\n" + r.body();
  }

  /** Waits until {@code n} pages in a row satisfy {@code p} (a rule change has reached every proxy). */
  static void awaitSteady(Mesh mesh, String cookie, int n, Predicate<String> p) {
    int[] run = {0};
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() -> {
      run[0] = p.test(page(mesh, cookie)) ? run[0] + 1 : 0;
      return run[0] >= n;
    });
  }
}
