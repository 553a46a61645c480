package io.imagefleet.cli;

import io.imagefleet.contracts.ImageQuality;
import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's sample batch: a realistic mix of catalogue, marketing and edit jobs (all sizes and
 * qualities, several images per job, reference-image edits), plus jobs that must fail: invalid ones
 * (field errors, nothing spent) and one the upstream refuses for content policy.
 */
final class DemoJobs {
  private static final String[] TENANTS = {"catalog", "marketing", "edits"};
  private static final String[] SUBJECTS = {
    "a walnut lounge chair on a seamless grey backdrop",
        "a ceramic pour-over coffee set, soft morning light",
    "a linen summer dress on a mannequin, studio flash",
        "a pair of trail running shoes, splash of mud",
    "a minimalist desk lamp, warm glow, dark room",
        "a glass bottle of olive oil beside fresh basil",
    "a wool scarf folded on a wooden table", "a leather weekender bag, top-down view"
  };

  private DemoJobs() {}

  /** {@code valid} good jobs, then the jobs that must fail. Job ids start with {@code runId}. */
  static List<JobRequest> batch(String runId, int valid) {
    List<JobRequest> jobs = new ArrayList<>();
    ImageSize[] sizes = ImageSize.values();
    ImageQuality[] qualities = ImageQuality.values();
    for (int i = 0; i < valid; i++) {
      String tenant = TENANTS[i % TENANTS.length];
      // Job 1 meets an upstream that stumbles twice (simulator marker): retried, it still succeeds.
      String prompt =
          SUBJECTS[i % SUBJECTS.length]
              + ", product photography, variant "
              + i
              + (i == 1 ? " [sim:create=503x2]" : "");
      JobRequest.Builder b =
          JobRequest.builder(runId + "-" + String.format("%03d", i), tenant, prompt)
              .size(sizes[i % sizes.length])
              .quality(qualities[(i / sizes.length) % qualities.length])
              .n(1 + i % 3)
              .metadata(Map.of("campaign", "demo", "sku", "SKU-" + (1000 + i)));
      if (tenant.equals("edits")) {
        b.referenceImageUrls(
            List.of(
                "https://assets.example.com/ref/" + i + "-front.png",
                "https://assets.example.com/ref/" + i + "-side.jpg"));
      }
      jobs.add(b.build());
    }
    jobs.add(
        JobRequest.builder(runId + "-bad-n", "catalog", "twelve chairs at once").n(12).build());
    jobs.add(
        JobRequest.builder(runId + "-bad-size", "marketing", "a banner")
            .size("5:4")
            .quality("ultra")
            .build());
    jobs.add(
        JobRequest.builder(runId + "-bad-callback", "marketing", "a poster")
            .callbackUrl("http://10.0.0.7/hook")
            .build());
    jobs.add(
        JobRequest.builder(
                runId + "-refused",
                "marketing",
                "something the upstream refuses [sim:fail=content_policy_violation]")
            .quality(ImageQuality.LOW)
            .build());
    return jobs;
  }
}
