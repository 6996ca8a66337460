package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's, through chromedriver and Selenium) opens the dashboard over
 * synthetic Bookinfo traffic with reviews at 80/20, reads the edge labels, clicks the
 * productpage → reviews v2 edge and saves a screenshot to {@code target/dashboard-bookinfo.png}
 * (and to {@code docs/images/} with {@code -Dscreenshot.update=true}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {
  private static final String V1 = "app:bookinfo/productpage/v1->app:bookinfo/reviews/v1";
  private static final String V2 = "app:bookinfo/productpage/v1->app:bookinfo/reviews/v2";

  @TempDir Path profile;
  private SyntheticMesh mesh;
  private DashboardServer server;
  private ChromeDriver driver;

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void showsTheBookinfoGraphAndAnEdgesHistory() throws Exception {
    Path chromium = ExternalTools.require("chromium", "/usr/bin/chromium");
    Path chromedriver = ExternalTools.require("chromedriver (Debian chromium-driver)", "/usr/bin/chromedriver");

    FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    Instant start = clock.instant();
    mesh = new SyntheticMesh(SyntheticMesh.bookinfo8020(),
        () -> Duration.between(start, clock.instant()).toMillis() / 1000.0);
    EmbeddedScraper scraper = new EmbeddedScraper(mesh::targets, clock, Duration.ofHours(1), Duration.ofSeconds(15),
        10_000);
    for (int i = 0; i <= 24; i++) {
      scraper.scrapeOnce();
      clock.advance(Duration.ofSeconds(15));
    }
    server = DashboardServer.start(0, scraper, ConfigView.analyzing(DashboardServerTest::bookinfoConfig));

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1400,950");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.get(server.uri() + "?namespace=bookinfo");
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    JavascriptExecutor js = driver;
    wait.until(d -> js.executeScript("return window.sluiceGraph ? window.sluiceGraph.edges().length : 0")
        instanceof Long n && n == 5);

    @SuppressWarnings("unchecked")
    Map<String, String> labels = (Map<String, String>) js.executeScript(
        "const m = {}; window.sluiceGraph.edges().forEach(e => m[e.id()] = e.data('label')); return m;");
    // Out of productpage's 20 rps, details takes 50 %, reviews v1 40 % (8 rps) and v2 10 % (2 rps): 80/20.
    // The second line is the split among reviews' versions: the VirtualService's 80/20.
    assertThat(labels.get(V1)).isEqualTo("8.00 rps  40%\n80% of reviews\np95 9.8ms");
    assertThat(labels.get(V2)).isEqualTo("2.00 rps  10%\n20% of reviews\np95 24.3ms");
    assertThat(labels.get("app:bookinfo/reviews/v2->app:bookinfo/ratings/v1")).contains("err 2%");
    assertThat(driver.findElement(By.id("edge-table")).getText())
        .contains("8.00 rps 40% (80% of bookinfo/reviews)", "2.00 rps 10% (20% of bookinfo/reviews)");

    // Click the middle of the v2 edge where it is drawn on the canvas.
    @SuppressWarnings("unchecked")
    Map<String, Number> mid = (Map<String, Number>) js.executeScript(
        "return window.sluiceGraph.getElementById(arguments[0]).renderedMidpoint();", V2);
    WebElement canvas = driver.findElement(By.id("cy"));
    int dx = (int) Math.round(mid.get("x").doubleValue() - canvas.getSize().getWidth() / 2.0);
    int dy = (int) Math.round(mid.get("y").doubleValue() - canvas.getSize().getHeight() / 2.0);
    new Actions(driver).moveToElement(canvas, dx, dy).click().perform();
    wait.until(d -> d.findElements(By.id("details-title")).stream().anyMatch(t -> t.getText().contains(V2)));
    String details = driver.findElement(By.id("details")).getText();
    assertThat(details).contains("Requests/s by response code", "p95 latency", "200");
    assertThat(details).contains("(10% of source, 20% of bookinfo/reviews)");

    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", "dashboard-bookinfo.png");
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(target)).isGreaterThan(10_000);
    if (Boolean.getBoolean("screenshot.update")) {
      Path docs = Path.of(System.getProperty("sluice.root", "..")).resolve("docs/images/dashboard-bookinfo.png");
      Files.createDirectories(docs.getParent());
      Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> errors = List.of(); // the page reports API errors in #status
    assertThat(driver.findElement(By.id("status")).getText()).doesNotContain("error").isNotEqualTo(errors.toString());
  }
}
