package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.JobRequest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's page in a real browser: Debian's Chromium driven by Selenium, during a run on the
 * real broker and the upstream simulator. Without Chromium this test fails and says what to
 * install; it never skips ({@code .ci/run} installs it).
 */
class ConsoleBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  void showsTheJobsThumbnailAndTimelineOnceItSucceeds() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as(
            "the browser test needs Debian's chromium and chromium-driver:"
                + " apt-get install -y chromium chromium-driver")
        .isTrue();
    try (ConsoleFleet fleet = new ConsoleFleet(Optional.empty())) {
      ChromeDriver browser = chromium();
      try {
        browser.get(fleet.url("/").toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));

        String job = "browser-job-" + fleet.id;
        fleet.submit(JobRequest.builder(job, "team-a", "a blue lamp").build());
        By row = By.cssSelector("#jobs tbody tr[data-job='" + job + "'][data-status='SUCCEEDED']");
        // The table is drawn anew on every change: a row found a moment ago may be gone.
        wait.ignoring(StaleElementReferenceException.class)
            .until(
                d -> {
                  d.findElement(row).click();
                  return true;
                });

        wait.until(
            ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#thumbs img.thumb")));
        wait.ignoring(StaleElementReferenceException.class)
            .until(
                d -> {
                  WebElement thumb = d.findElement(By.cssSelector("#thumbs img.thumb"));
                  Object width =
                      ((JavascriptExecutor) d)
                          .executeScript(
                              "return arguments[0].complete ? arguments[0].naturalWidth : 0",
                              thumb);
                  return ((Number) width).intValue() > 0;
                });
        List<String> timeline =
            browser.findElements(By.cssSelector("#timeline li")).stream()
                .map(li -> li.getAttribute("data-status"))
                .distinct()
                .toList();
        assertThat(timeline).startsWith("ACCEPTED", "SUBMITTED").endsWith("SUCCEEDED");
        assertThat(browser.findElement(By.id("detail-title")).getText()).isEqualTo(job);
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#workers tbody"), "console-worker-" + fleet.id));
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#budgets tbody"), "of $50.00"));

        // Filters by route and by how recently a job moved keep the job; another route drops it.
        new Select(browser.findElement(By.id("since-filter"))).selectByValue("300");
        wait.until(ExpectedConditions.numberOfElementsToBe(row, 1));
        WebElement routes = browser.findElement(By.id("route-filter"));
        wait.until(d -> new Select(routes).getOptions().size() > 1);
        String route = new Select(routes).getOptions().get(1).getAttribute("value");
        ((JavascriptExecutor) browser)
            .executeScript(
                "const o = new Option('other-route', 'other-route'); arguments[0].append(o);",
                routes);
        new Select(routes).selectByValue("other-route");
        wait.until(ExpectedConditions.numberOfElementsToBe(row, 0));
        new Select(routes).selectByValue(route);
        wait.until(ExpectedConditions.numberOfElementsToBe(row, 1));

        Path shot = Path.of("target", "console-browser-it.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(shot)).isPositive();
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void redrivesADeadLetterFromThePageOnceAndKeepsUpdatingThroughAWorkerRestart() throws Exception {
    assertChromium();
    try (ConsoleFleet fleet = new ConsoleFleet(Optional.empty())) {
      String job = "redrive-page-" + fleet.id;
      long offset = fleet.deadLetter(JobRequest.builder(job, "team-a", "a green vase").build());
      ChromeDriver browser = chromium();
      try {
        browser.get(fleet.url("/").toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
        By redrive =
            By.cssSelector("#dead-letters tbody tr[data-offset='" + offset + "'] button.redrive");
        clickWhenThere(wait, redrive);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertThat(browser.findElement(By.id("confirm-text")).getText())
            .contains(fleet.deadLetters + "-0@" + offset)
            .contains("once");
        browser.findElement(By.id("confirm-yes")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("action-result"), "data-result", "done"));
        By succeeded =
            By.cssSelector("#jobs tbody tr[data-job='" + job + "'][data-status='SUCCEEDED']");
        wait.until(ExpectedConditions.presenceOfElementLocated(succeeded));
        assertThat(fleet.redrivenFrom(offset)).isEqualTo(1);
        screenshot(browser, "console-redrive-it.png");

        // The button says it is done; a reload, and a post past the page, change nothing.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(redrive, "redriven"));
        assertThat(browser.findElement(redrive).isEnabled()).isFalse();
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(redrive, "redriven"));
        Object again =
            ((JavascriptExecutor) browser)
                .executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/actions/redrive', {method: 'POST', headers: {'Content-Type':"
                        + " 'application/json', 'X-Imagefleet-Action': '1'}, body:"
                        + " JSON.stringify({partition: 0, offset: "
                        + offset
                        + "})}).then(r => done(r.status));");
        assertThat(((Number) again).intValue()).isEqualTo(409);
        assertThat(fleet.redrivenFrom(offset)).isEqualTo(1);

        // A worker restart: the page, never reloaded, shows the new worker's job succeed.
        String next = fleet.restartWorker();
        String after = "after-restart-" + fleet.id;
        fleet.submit(JobRequest.builder(after, "team-a", "a yellow cup").build());
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(
                    "#jobs tbody tr[data-job='" + after + "'][data-status='SUCCEEDED']")));
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#workers tbody"), next));
        assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
        screenshot(browser, "console-worker-restart-it.png");
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void cancelsAQueuedJobFromThePage() throws Exception {
    assertChromium();
    // Creations paced far apart, so that a second job waits, accepted and not yet submitted.
    Map<String, String> slow = Map.of("routes.0.rate-limit", "0.02");
    try (ConsoleFleet fleet = new ConsoleFleet(Optional.empty(), true, slow)) {
      ChromeDriver browser = chromium();
      try {
        browser.get(fleet.url("/").toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
        List<String> ids = List.of("queued-1-" + fleet.id, "queued-2-" + fleet.id);
        for (String id : ids) {
          fleet.submit(JobRequest.builder(id, "team-a", "a chair " + id).build());
        }
        // Once one of them is past ACCEPTED, the other waits for its turn to be created.
        String queued =
            wait.until(
                d -> {
                  List<String> statuses = ids.stream().map(id -> statusOf(d, id)).toList();
                  if (statuses.contains(null) || !statuses.contains("ACCEPTED")) {
                    return null;
                  }
                  boolean oneMoved = statuses.stream().anyMatch(st -> !"ACCEPTED".equals(st));
                  return oneMoved || statuses.stream().allMatch("ACCEPTED"::equals)
                      ? ids.get(statuses.lastIndexOf("ACCEPTED"))
                      : null;
                });
        clickWhenThere(wait, By.cssSelector("#jobs tbody tr[data-job='" + queued + "']"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("cancel-job"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertThat(browser.findElement(By.id("confirm-text")).getText())
            .contains(queued)
            .contains("FAILED with code cancelled");
        browser.findElement(By.id("confirm-yes")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("action-result"), "data-result", "done"));
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tbody tr[data-job='" + queued + "'][data-status='FAILED']")));
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("detail-facts"), "cancelled"));
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(
                    "#actions tbody tr[data-target='team-a/" + queued + "'][data-result='done']")));
        assertThat(browser.findElement(By.id("cancel-job")).isDisplayed()).isFalse();
        screenshot(browser, "console-cancel-it.png");
      } finally {
        browser.quit();
      }
    }
  }

  private static String statusOf(org.openqa.selenium.WebDriver d, String job) {
    List<WebElement> rows =
        d.findElements(By.cssSelector("#jobs tbody tr[data-job='" + job + "']"));
    try {
      return rows.isEmpty() ? null : rows.get(0).getAttribute("data-status");
    } catch (StaleElementReferenceException e) {
      return null;
    }
  }

  /** The tables are drawn anew on every change: an element found a moment ago may be gone. */
  private static void clickWhenThere(WebDriverWait wait, By what) {
    wait.ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(what).click();
              return true;
            });
  }

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    Path shot = Path.of("target", name);
    Files.createDirectories(shot.getParent());
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shot)).isPositive();
  }

  private static void assertChromium() {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as(
            "the browser test needs Debian's chromium and chromium-driver:"
                + " apt-get install -y chromium chromium-driver")
        .isTrue();
  }

  private static ChromeDriver chromium() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        "--user-data-dir=" + Files.createTempDirectory("console-chromium-"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
