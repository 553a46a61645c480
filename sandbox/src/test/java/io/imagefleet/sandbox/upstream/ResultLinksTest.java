package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.sandbox.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultLinksTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final ResultLinks links =
      new ResultLinks(URI.create("http://127.0.0.1:8080"), Duration.ofHours(24));
  private final SimTask task =
      new TaskStore(new Chance(7), 10)
          .create(
              clock.instant(),
              new CreateRequest(
                  "gpt-image-1.5",
                  "p",
                  ImageSize.PORTRAIT,
                  ImageQuality.LOW,
                  2,
                  List.of(),
                  Optional.empty()),
              SimModel.named("gpt-image-1.5"),
              Duration.ZERO,
              Optional.empty(),
              Optional.empty());

  @Test
  void oneLinkPerImageOnThisServer() {
    List<String> urls = links.urlsFor(task);
    assertThat(urls).hasSize(2);
    long expires = clock.instant().plus(Duration.ofHours(24)).getEpochSecond();
    assertThat(urls.get(0))
        .startsWith(
            "http://127.0.0.1:8080/files/" + task.id() + "/0.png?expires=" + expires + "&sig=");
    assertThat(urls.get(1)).contains("/1.png?");
  }

  @Test
  void linkWorksUntilItsTtlHasPassedSinceCreation() {
    ResultLinks.Link link = ResultLinks.parse(URI.create(links.urlsFor(task).get(0))).orElseThrow();
    assertThat(link.taskId()).isEqualTo(task.id());
    assertThat(link.index()).isZero();
    clock.advance(Duration.ofHours(24).minusSeconds(1));
    assertThat(links.verify(link, clock.instant())).isEqualTo(ResultLinks.Verdict.VALID);
    clock.advance(Duration.ofSeconds(1));
    assertThat(links.verify(link, clock.instant())).isEqualTo(ResultLinks.Verdict.EXPIRED);
  }

  @Test
  void changedExpiryOrSignatureIsRefused() {
    ResultLinks.Link link = ResultLinks.parse(URI.create(links.urlsFor(task).get(1))).orElseThrow();
    ResultLinks.Link later =
        new ResultLinks.Link(
            link.taskId(), link.index(), link.expiresEpochSecond() + 3600, link.signature());
    ResultLinks.Link otherImage =
        new ResultLinks.Link(link.taskId(), 0, link.expiresEpochSecond(), link.signature());
    assertThat(links.verify(later, clock.instant())).isEqualTo(ResultLinks.Verdict.BAD_SIGNATURE);
    assertThat(links.verify(otherImage, clock.instant()))
        .isEqualTo(ResultLinks.Verdict.BAD_SIGNATURE);
    assertThat(ResultLinks.parse("/files/x/0.png", null).map(l -> links.verify(l, clock.instant())))
        .contains(ResultLinks.Verdict.BAD_SIGNATURE);
  }

  @Test
  void otherPathsAreNotLinks() {
    assertThat(ResultLinks.parse("/files/x/y/0.png", "")).isEmpty();
    assertThat(ResultLinks.parse("/files/x/0.jpg", "")).isEmpty();
  }
}
