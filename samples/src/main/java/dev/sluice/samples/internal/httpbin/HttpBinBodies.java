package dev.sluice.samples.internal.httpbin;

import dev.sluice.samples.internal.http.FlaskPages;
import dev.sluice.samples.internal.http.JsonText;
import dev.sluice.samples.internal.http.Request;
import dev.sluice.samples.internal.http.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The answers of one httpbin {@link Flavor}: JSON shapes, status special cases, errors. */
final class HttpBinBodies {

  // Python httpbin hides these unless ?show_env is given (helpers.ENV_HEADERS).
  private static final Set<String> PYTHON_ENV_HEADERS = Set.of("x-varnish", "x-request-start",
      "x-heroku-queue-depth", "x-real-ip", "x-forwarded-proto", "x-forwarded-protocol",
      "x-forwarded-ssl", "x-heroku-queue-wait-time", "x-forwarded-for", "x-heroku-dynos-in-use",
      "x-forwarded-port", "x-request-id", "via", "total-route-time", "connect-time");
  private static final String TEAPOT = """

          -=[ teapot ]=-

             _...._
           .'  _ _ `.
          | ."` ^ `". _,
          \\_;`"---"`|//
            |       ;/
            \\_     _/
              `\"\"\"`
      """;

  private final Flavor flavor;

  HttpBinBodies(Flavor flavor) {
    this.flavor = flavor;
  }

  private boolean go() {
    return flavor == Flavor.GO;
  }

  Response json(Object value) {
    return go()
        ? Response.text(200, "application/json; charset=utf-8", JsonText.write(value, JsonText.Style.GO_PRETTY) + "\n")
        : Response.text(200, "application/json", JsonText.write(sorted(value), JsonText.Style.PYTHON_PRETTY) + "\n");
  }

  Response index() {
    return Response.text(200, "text/html; charset=utf-8", """
        <!DOCTYPE html>
        <html><head><title>httpbin</title></head>
        <body><h1>httpbin</h1><p>A simple HTTP Request &amp; Response Service (Sluice's built-in sample).</p>
        <ul><li>/get</li><li>/anything</li><li>/headers</li><li>/ip</li><li>/user-agent</li>
        <li>/status/:code</li><li>/delay/:seconds</li><li>/post, /put, /patch, /delete</li></ul>
        </body></html>
        """);
  }

  /** The request headers as this httpbin shows them. */
  Map<String, Object> headers(Request req) {
    Map<String, Object> out = new TreeMap<>();
    boolean showEnv = req.queryParams().containsKey("show_env");
    req.headers().forEach((name, values) -> {
      if (!go() && !showEnv && PYTHON_ENV_HEADERS.contains(name)) {
        return;
      }
      String key = flavor.canonical(name);
      out.put(key, go() ? List.copyOf(values) : String.join(",", values));
    });
    return out;
  }

  String origin(Request req) {
    String xff = req.header("x-forwarded-for");
    if (go()) {
      for (String h : List.of("fly-client-ip", "cf-connecting-ip", "fastly-client-ip", "true-client-ip")) {
        if (req.header(h) != null && !req.header(h).isEmpty()) {
          return req.header(h);
        }
      }
      if (xff != null && !xff.isEmpty()) {
        return xff.split(",", 2)[0].trim();
      }
      String host = req.remote().getAddress().getHostAddress();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + req.remote().getPort();
    }
    return xff != null ? xff : req.remote().getAddress().getHostAddress();
  }

  private String url(Request req) {
    String scheme = req.header("x-forwarded-proto");
    if (scheme == null) {
      scheme = req.header("x-forwarded-protocol");
    }
    if (scheme == null && "on".equals(req.header("x-forwarded-ssl"))) {
      scheme = "https";
    }
    String host = req.header("host");
    return (scheme == null ? "http" : scheme) + "://" + (host == null ? "" : host) + req.uri();
  }

  private Object args(Request req) {
    return go() ? new TreeMap<>(req.queryParams()) : semiflatten(req.queryParams());
  }

  Response get(Request req) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("args", args(req));
    out.put("headers", headers(req));
    if (go()) {
      out.put("method", req.method());
    }
    out.put("origin", origin(req));
    out.put("url", url(req));
    return json(out);
  }

  /** {@code /anything}, {@code /post} and friends, and go-httpbin's {@code /delay}. */
  Response withBody(Request req) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("args", args(req));
    out.put("headers", headers(req));
    out.put("method", req.method());
    out.put("origin", origin(req));
    out.put("url", url(req));
    addBody(req, out);
    return json(out);
  }

  /** The Python httpbin's {@code /delay}: url, args, form, data, origin, headers, files. */
  Response delayed(Request req) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("args", args(req));
    out.put("headers", headers(req));
    out.put("origin", origin(req));
    out.put("url", url(req));
    addBody(req, out);
    out.remove("json");
    out.remove("method");
    return json(out);
  }

  private void addBody(Request req, Map<String, Object> out) {
    String contentType = String.valueOf(req.header("content-type")).split(";", 2)[0].trim();
    String text = req.bodyText();
    Object form = go() ? new TreeMap<>() : new TreeMap<>();
    Object json = null;
    String data = text;
    if (contentType.equals("application/x-www-form-urlencoded")) {
      form = go() ? new TreeMap<>(Request.parseForm(text)) : semiflatten(Request.parseForm(text));
      if (!go()) {
        data = "";
      }
    }
    if (go() && !text.isEmpty() && !List.of("text/html", "text/plain", "application/json",
        "application/x-www-form-urlencoded").contains(contentType)) {
      String ct = contentType.equals("null") || contentType.isEmpty() ? "application/octet-stream" : contentType;
      data = "data:" + ct + ";base64," + Base64.getUrlEncoder().encodeToString(req.body());
    }
    if ((!go() || contentType.equals("application/json")) && !text.isEmpty()) {
      try {
        json = JsonText.parse(text);
      } catch (Exception e) {
        json = null;
      }
    }
    out.put("data", data);
    out.put("files", new TreeMap<>());
    out.put("form", form);
    out.put("json", json);
  }

  Response status(int code) {
    String location = "/redirect/1";
    Response r = go()
        ? Response.text(code, "text/plain; charset=utf-8", "")
        : Response.text(code, "text/html; charset=utf-8", "");
    return switch (code) {
      case 301, 302, 303, 305, 307 -> r.withHeader("Location", location);
      case 401 -> r.withHeader("WWW-Authenticate", "Basic realm=\"Fake Realm\"");
      case 402 -> with(r, "Fuck you, pay me!").withHeader("X-More-Info", "http://vimeo.com/22053820");
      case 407 -> r.withHeader("Proxy-Authenticate", "Basic realm=\"Fake Realm\"");
      case 418 -> with(r, go() ? "I'm a teapot!" : TEAPOT)
          .withHeader("X-More-Info", "http://tools.ietf.org/html/rfc2324");
      case 406 -> go()
          ? Response.text(406, "application/json; charset=utf-8", """
              {
                "message": "Client did not request a supported media type",
                "accept": [
                  "image/webp",
                  "image/svg+xml",
                  "image/jpeg",
                  "image/png",
                  "image/"
                ]
              }
              """)
          : Response.text(406, "application/json", "{\"message\": \"Client did not request a supported"
              + " media type.\", \"accept\": [\"image/webp\", \"image/svg+xml\", \"image/jpeg\","
              + " \"image/png\", \"image/*\"]}");
      default -> r;
    };
  }

  private static Response with(Response r, String body) {
    return new Response(r.status(), r.headers(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  Response badStatus(String input, @Nullable Integer code) {
    if (!go()) {
      return Response.text(400, "text/html; charset=utf-8", "Invalid status code");
    }
    return error(400, code == null
        ? "invalid status code: \"" + input + "\": strconv.Atoi: parsing \"" + input + "\": invalid syntax"
        : "invalid status code: " + code + " not in range [100, 599]");
  }

  Response error(int status, @Nullable String detail) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status_code", status);
    out.put("error", status == 400 ? "Bad Request" : status == 404 ? "Not Found" : "Error");
    if (detail != null) {
      out.put("detail", detail);
    }
    Response ok = json(out);
    return new Response(status, ok.headers(), ok.body());
  }

  Response notFound() {
    return go() ? Response.text(404, "text/plain; charset=utf-8", "404 page not found\n") : FlaskPages.notFound();
  }

  Response methodNotAllowed(Set<String> methods) {
    List<String> allow = new ArrayList<>(methods);
    allow.sort(null);
    return go()
        ? Response.text(405, "text/plain; charset=utf-8", "Method Not Allowed\n")
            .withHeader("Allow", String.join(", ", allow))
        : FlaskPages.fallback(Request.get("/", Map.of()), methods);
  }

  Response flaskError500() {
    return FlaskPages.internalError();
  }

  private static Map<String, Object> semiflatten(Map<String, List<String>> multi) {
    Map<String, Object> out = new TreeMap<>();
    multi.forEach((k, v) -> out.put(k, v.size() == 1 ? v.getFirst() : v));
    return out;
  }

  // Flask's jsonify sorts keys at every level.
  private static @Nullable Object sorted(@Nullable Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return value;
  }
}
