package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobViewTest {
  private static final Instant T0 = Instant.parse("2026-12-07T04:00:00Z");

  @Test
  void keepsOnlyTheNewestJobsByTheirLastEvent() {
    JobView view = new JobView(3);
    for (int i = 0; i < 5; i++) {
      view.apply(event("job-" + i, "team-a", JobStatus.ACCEPTED, 1, i));
    }
    // job-2 moves again, so job-3 is now the one whose last event is oldest.
    view.apply(event("job-2", "team-a", JobStatus.SUBMITTED, 1, 6));
    view.apply(event("job-5", "team-a", JobStatus.ACCEPTED, 1, 7));

    assertThat(view.size()).isEqualTo(3);
    assertThat(view.list(JobFilter.ALL, 10))
        .extracting(JobView.JobSummary::jobId)
        .containsExactly("job-5", "job-2", "job-4");
  }

  @Test
  void boundsEachTimelineKeepingTheFirstAndTheNewestEvents() {
    JobView view = new JobView(10);
    view.apply(event("long", "team-a", JobStatus.ACCEPTED, 1, 0));
    for (int i = 1; i <= 200; i++) {
      view.apply(running("long", i));
    }
    JobView.JobDetail detail = view.detail(new JobView.JobKey("team-a", "long")).orElseThrow();

    assertThat(detail.timeline()).hasSize(JobView.MAX_EVENTS_PER_JOB);
    assertThat(detail.timeline().get(0).status()).isEqualTo(JobStatus.ACCEPTED);
    assertThat(detail.timeline().get(detail.timeline().size() - 1).progress()).isEqualTo(200);
    assertThat(detail.eventsLeftOut()).isEqualTo(201 - JobView.MAX_EVENTS_PER_JOB);
  }

  @Test
  void tellsJobsOfTwoTenantsWithOneIdApart() {
    JobView view = new JobView(10);
    view.apply(event("same", "team-a", JobStatus.ACCEPTED, 1, 0));
    view.apply(event("same", "team-b", JobStatus.ACCEPTED, 1, 1));
    view.apply(event("same", "team-b", JobStatus.SUBMITTED, 1, 2));

    assertThat(view.list(filter("tenant", "team-a"), 10))
        .singleElement()
        .extracting(JobView.JobSummary::status)
        .isEqualTo(JobStatus.ACCEPTED);
    assertThat(view.list(filter("status", "submitted"), 10))
        .singleElement()
        .extracting(JobView.JobSummary::tenant)
        .isEqualTo("team-b");
  }

  @Test
  void summarisesTheNewestAttemptAndIgnoresDuplicateAnswers() {
    JobView view = new JobView(10);
    view.apply(failed("j", 1, 0));
    view.apply(event("j", "team-a", JobStatus.ACCEPTED, 2, 1));
    view.apply(event("j", "team-a", JobStatus.DUPLICATE, 1, 2));
    JobView.JobSummary job = view.list(JobFilter.ALL, 1).get(0);

    assertThat(job.status()).isEqualTo(JobStatus.ACCEPTED);
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(job.errorCode()).isNull();
    assertThat(view.detail(new JobView.JobKey("team-a", "j")).orElseThrow().timeline())
        .extracting(JobView.TimelineEntry::status)
        .containsExactly(JobStatus.FAILED, JobStatus.ACCEPTED, JobStatus.DUPLICATE);
  }

  @Test
  void neverKeepsTheUpstreamsTemporaryLink() throws Exception {
    JobView view = new JobView(10);
    view.apply(succeeded("done"));
    String json =
        io.imagefleet.contracts.Json.mapper()
            .writeValueAsString(view.detail(new JobView.JobKey("team-a", "done")).orElseThrow());

    assertThat(json).doesNotContain("upstream.example").doesNotContain("file:");
    assertThat(view.imageLocation(new JobView.JobKey("team-a", "done"), 0))
        .contains("file:///data/images/done-0.png");
    assertThat(view.imageLocation(new JobView.JobKey("team-a", "done"), 1)).isEmpty();
  }

  @Test
  void filtersByRouteAndByHowRecentlyAJobMoved() {
    JobView view = new JobView(10);
    view.apply(event("old", "team-a", JobStatus.ACCEPTED, 1, 0));
    view.apply(event("new", "team-a", JobStatus.ACCEPTED, 1, 60));

    assertThat(view.list(filter("since", T0.plusSeconds(30).toString()), 10))
        .extracting(JobView.JobSummary::jobId)
        .containsExactly("new");
    assertThat(view.list(filter("route", "gpt-image-1.5"), 10)).hasSize(2);
    assertThat(view.list(filter("route", "gpt-image-1"), 10)).isEmpty();
    assertThatThrownBy(() -> filter("since", "yesterday"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void countsJobsThatMovedToAnotherRouteWithinAnAttempt() {
    JobView view = new JobView(10);
    view.apply(event("j", "team-a", JobStatus.ACCEPTED, 1, 0)); // on gpt-image-1.5
    view.apply(running("j", 5)); // on r: a fallback
    view.apply(running("j", 6));
    view.apply(event("j", "team-a", JobStatus.ACCEPTED, 2, 7)); // a new attempt starts over

    assertThat(view.moves()).containsExactly(new JobView.RouteMove("gpt-image-1.5", "r", 1));
  }

  private static JobFilter filter(String name, String value) {
    return JobFilter.of(Map.of(name, value)::get);
  }

  private static StatusEvent event(
      String job, String tenant, JobStatus status, int attempt, int s) {
    return new StatusEvent(
        1,
        UUID.randomUUID().toString(),
        job,
        tenant,
        status,
        attempt,
        "gpt-image-1.5",
        null,
        null,
        null,
        null,
        null,
        null,
        new BigDecimal("0.04"),
        null,
        null,
        null,
        null,
        T0.plusSeconds(s),
        "w1");
  }

  private static StatusEvent running(String job, int progress) {
    return new StatusEvent(
        1,
        UUID.randomUUID().toString(),
        job,
        "team-a",
        JobStatus.RUNNING,
        1,
        "r",
        null,
        "task",
        progress,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        T0.plusSeconds(progress),
        "w1");
  }

  private static StatusEvent failed(String job, int attempt, int s) {
    return new StatusEvent(
        1,
        UUID.randomUUID().toString(),
        job,
        "team-a",
        JobStatus.FAILED,
        attempt,
        "r",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        3,
        null,
        JobError.of("content_policy_violation", "refused", false),
        null,
        T0.plusSeconds(s),
        "w1");
  }

  private static StatusEvent succeeded(String job) {
    StoredImage image =
        new StoredImage(
            0,
            "file:///data/images/" + job + "-0.png",
            "https://upstream.example/tmp/abc?sig=secret",
            1234,
            "image/png",
            64,
            64,
            "00");
    return new StatusEvent(
        1,
        UUID.randomUUID().toString(),
        job,
        "team-a",
        JobStatus.SUCCEEDED,
        1,
        "r",
        null,
        "task",
        100,
        List.of(image),
        null,
        new BigDecimal("0.011"),
        null,
        4,
        null,
        null,
        null,
        T0,
        "w1");
  }
}
