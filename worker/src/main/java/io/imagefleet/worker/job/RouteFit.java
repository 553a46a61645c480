package io.imagefleet.worker.job;

import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.ImageQuality;
import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.PromptTokens;
import io.imagefleet.contracts.ValidationCode;
import io.imagefleet.worker.config.RouteRules;
import io.imagefleet.worker.config.RouteSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a route's model can do a job: the job's prompt, size, quality, image count and reference
 * images against the route's {@link RouteRules}. A job is checked against the route it asks for
 * before anything is spent (each broken rule a {@code unsupported_by_route} field error), and only
 * routes it fits are in its fallback plan. What holds on every route was checked already by the
 * contract's validator; a field it found broken is not reported again here. Thread safe.
 */
final class RouteFit {
  private final CostEstimator estimator;

  RouteFit(CostEstimator estimator) {
    this.estimator = estimator;
  }

  boolean fits(JobRequest job, RouteSettings route) {
    return violations(job, route).isEmpty();
  }

  /** The rules of {@code route} that the job breaks, in field order; empty when it fits. */
  List<FieldError> violations(JobRequest job, RouteSettings route) {
    RouteRules rules = route.rules();
    String on = " on route " + route.model();
    List<FieldError> errors = new ArrayList<>();
    checkPrompt(job.prompt(), rules, on, errors);
    Optional<ImageSize> size = job.imageSize();
    if (size.isPresent() && !rules.sizes().contains(size.get())) {
      errors.add(
          error(
              "size",
              "size "
                  + size.get().wire()
                  + " is not available"
                  + on
                  + "; it renders "
                  + rules.sizes().stream()
                      .sorted()
                      .map(ImageSize::wire)
                      .collect(Collectors.joining(", "))));
    }
    Optional<ImageQuality> quality = job.imageQuality();
    if (quality.isPresent() && !rules.qualities().contains(quality.get())) {
      errors.add(
          error(
              "quality",
              "quality "
                  + quality.get().wire()
                  + " is not available"
                  + on
                  + "; it offers "
                  + rules.qualities().stream()
                      .sorted()
                      .map(ImageQuality::wire)
                      .collect(Collectors.joining(", "))));
    }
    if (job.n() > rules.maxImages()) {
      errors.add(
          error("n", "n must be at most " + rules.maxImages() + on + ", but was " + job.n()));
    }
    int references = job.referenceImageUrls().size();
    if (references > rules.maxReferenceImages()) {
      errors.add(
          error(
              "reference_image_urls",
              "at most "
                  + rules.maxReferenceImages()
                  + " reference images are allowed"
                  + on
                  + ", but there are "
                  + references));
    }
    return List.copyOf(errors);
  }

  /**
   * The tokenizer runs only when the prompt's UTF-8 length could pass the token limit, and then
   * once per prompt: its count is the estimator's, which every estimate of the job reuses.
   */
  private void checkPrompt(String prompt, RouteRules rules, String on, List<FieldError> errors) {
    if (prompt == null) {
      return;
    }
    int chars = prompt.codePointCount(0, prompt.length());
    if (chars > rules.promptMaxChars()) {
      errors.add(
          error(
              "prompt",
              "prompt must be at most "
                  + rules.promptMaxChars()
                  + " characters"
                  + on
                  + ", but has "
                  + chars));
    } else if (rules.promptMaxTokens() > 0
        && PromptTokens.upperBound(prompt) > rules.promptMaxTokens()) {
      int tokens = estimator.promptTokens(prompt);
      if (tokens > rules.promptMaxTokens()) {
        errors.add(
            error(
                "prompt",
                "prompt must be at most "
                    + rules.promptMaxTokens()
                    + " tokens (o200k_base)"
                    + on
                    + ", but has "
                    + tokens));
      }
    }
  }

  private static FieldError error(String field, String message) {
    return ValidationCode.UNSUPPORTED_BY_ROUTE.at(field, message);
  }
}
