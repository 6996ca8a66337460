package dev.sluice.samples.internal.bookinfo;

import dev.sluice.samples.internal.http.FlaskPages;
import dev.sluice.samples.internal.http.JsonText;
import dev.sluice.samples.internal.http.Response;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * productpage's {@code /static} files, Sluice's own: the page loads
 * {@code static/tailwind/tailwind.css} as a script (the original ships Tailwind's 360 kB
 * in-browser compiler there), so ours is a few lines of script that add a small stylesheet
 * covering the classes the page uses; {@code img/izzy.png} is a drawn avatar.
 */
final class StaticAssets {

  private StaticAssets() {}

  private static final class Lazy {
    static final byte[] TAILWIND = tailwind();
    static final byte[] IZZY = izzy();
  }

  static Response serve(String path) {
    return switch (path) {
      case "/static/tailwind/tailwind.css" -> new Response(200,
          List.of(Map.entry("Content-Type", "text/css; charset=utf-8")), Lazy.TAILWIND);
      case "/static/img/izzy.png" -> new Response(200,
          List.of(Map.entry("Content-Type", "image/png")), Lazy.IZZY);
      default -> FlaskPages.notFound();
    };
  }

  private static byte[] tailwind() {
    try (InputStream in = StaticAssets.class.getResourceAsStream("static/bookinfo.css")) {
      if (in == null) {
        throw new IllegalStateException("static/bookinfo.css missing");
      }
      String css = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String js = "(()=>{const s=document.createElement(\"style\");s.textContent="
          + JsonText.write(css, JsonText.Style.COMPACT) + ";document.head.appendChild(s);})();\n";
      return js.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] izzy() {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new Color(0x46, 0x6B, 0xB0));
    g.fillOval(0, 0, 64, 64);
    g.setColor(Color.WHITE);
    g.fillOval(20, 12, 24, 24);
    g.fillOval(10, 40, 44, 36);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
