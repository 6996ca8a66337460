package dev.sluice.samples.internal.bookinfo;

import dev.sluice.samples.internal.http.Html;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * productpage's HTML: the product page and the index, rendered from resources translated
 * tag-for-tag from the original Jinja2 templates, so that the bytes are the original's.
 */
final class ProductPageView {

  private static final PageTemplate PRODUCT_PAGE = PageTemplate.resource("productpage.html");
  private static final PageTemplate INDEX = PageTemplate.resource("index.html");
  private static final String TABLE = "<table class=\"table table-condensed table-bordered table-hover\">";

  /** The one product productpage knows. */
  static final Map<String, Object> PRODUCT = product();

  private ProductPageView() {}

  private static Map<String, Object> product() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", 0);
    p.put("title", "The Comedy of Errors");
    p.put("descriptionHtml", "<a href=\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\">"
        + "Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare's</b> early"
        + " plays. It is his shortest and one of his most farcical comedies, with a major part of the"
        + " humour coming from slapstick and mistaken identity, in addition to puns and word play.");
    return Collections.unmodifiableMap(p);
  }

  /**
   * The product page.
   *
   * @param user the signed-in user, or null/empty
   * @param details details' JSON object (or the error object), with its status
   * @param reviews reviews' JSON object (or the error object), with its status
   */
  static String productPage(@Nullable String user, int detailsStatus, Map<?, ?> details,
      int reviewsStatus, Map<?, ?> reviews) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("user", user == null ? "" : user);
    model.put("product", PRODUCT);
    model.put("detailsOk", detailsStatus == 200);
    model.put("details", details);
    model.put("reviewsOk", reviewsStatus == 200);
    model.put("reviews", reviews);
    List<Object> list = new ArrayList<>();
    if (reviews.get("reviews") instanceof List<?> items) {
      for (Object item : items) {
        list.add(item instanceof Map<?, ?> review ? withStars(review) : item);
      }
    }
    model.put("reviewList", list);
    model.put("podname", reviews.get("podname"));
    model.put("clustername", reviews.get("clustername"));
    model.put("showCluster", !"null".equals(reviews.get("clustername")));
    return PRODUCT_PAGE.render(model);
  }

  // Adds the star loops: range(stars) filled and range(5 - stars) outlined.
  private static Map<?, ?> withStars(Map<?, ?> review) {
    if (!(review.get("rating") instanceof Map<?, ?> rating) || !(rating.get("stars") instanceof Number n)) {
      return review;
    }
    int stars = n.intValue();
    Map<Object, Object> r = new LinkedHashMap<>(rating);
    r.put("filled", Collections.nCopies(Math.max(stars, 0), Map.of()));
    r.put("outline", Collections.nCopies(Math.max(5 - stars, 0), Map.of()));
    Map<Object, Object> copy = new LinkedHashMap<>(review);
    copy.put("rating", r);
    return copy;
  }

  /** The index page with the service tree as json2html renders it. */
  static String index(Map<String, Object> serviceTree) {
    return INDEX.render(Map.of("serviceTable", json2html(serviceTree)));
  }

  /**
   * json2html's conversion: objects as two-column tables, lists of same-keyed objects as one
   * table with a header row ("clubbing"), other lists as {@code <ul>}, strings HTML-escaped.
   */
  static String json2html(@Nullable Object node) {
    return switch (node) {
      case null -> "None";
      case String s -> Html.pythonEscape(s);
      case Boolean b -> b ? "True" : "False";
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          yield "";
        }
        List<String> rows = new ArrayList<>();
        m.forEach((k, v) -> rows.add("<th>" + json2html(String.valueOf(k)) + "</th><td>" + json2html(v) + "</td>"));
        yield TABLE + "<tr>" + String.join("</tr><tr>", rows) + "</tr></table>";
      }
      case List<?> l -> list(l);
      default -> node.toString();
    };
  }

  private static String list(List<?> l) {
    if (l.isEmpty()) {
      return "";
    }
    List<?> headers = clubbingHeaders(l);
    if (headers == null) {
      List<String> items = new ArrayList<>();
      l.forEach(i -> items.add(json2html(i)));
      return "<ul><li>" + String.join("</li><li>", items) + "</li></ul>";
    }
    StringBuilder out = new StringBuilder(TABLE).append("<thead><tr><th>");
    List<String> names = new ArrayList<>();
    headers.forEach(h -> names.add(String.valueOf(h)));
    out.append(String.join("</th><th>", names)).append("</th></tr></thead><tbody>");
    for (Object entry : l) {
      List<String> cells = new ArrayList<>();
      headers.forEach(h -> cells.add(json2html(((Map<?, ?>) entry).get(h))));
      out.append("<tr><td>").append(String.join("</td><td>", cells)).append("</td></tr>");
    }
    return out.append("</tbody></table>").toString();
  }

  private static @Nullable List<?> clubbingHeaders(List<?> l) {
    if (!(l.getFirst() instanceof Map<?, ?> first)) {
      return null;
    }
    for (Object entry : l) {
      if (!(entry instanceof Map<?, ?> m) || m.size() != first.size() || !m.keySet().containsAll(first.keySet())) {
        return null;
      }
    }
    return List.copyOf(first.keySet());
  }
}
