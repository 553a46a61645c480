package io.imagefleet.worker.job;

import io.imagefleet.contracts.ImageQuality;
import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.PromptTokens;
import io.imagefleet.contracts.TokenUsage;
import io.imagefleet.worker.config.CostSettings;
import io.imagefleet.worker.config.RoutePrices;
import io.imagefleet.worker.config.RouteSettings;
import io.imagefleet.worker.config.WorkerConfig;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The cost of a job before it is submitted: the token usage it will cause, priced like reported
 * usage ({@link CostCalculator}), so an estimate and an actual cost differ only where the usage
 * does.
 *
 * <p>Usage: output image tokens per image for the job's quality and pixel size (from {@link
 * CostSettings}) times {@code n}; prompt tokens counted with the upstream's tokenizer ({@link
 * PromptTokens}); input image tokens per reference image. Thread safe.
 */
public final class CostEstimator {
  private final WorkerConfig config;

  /**
   * Prompt token counts of the prompts of running jobs. Tokenizing is the costliest step of an
   * estimate, and every event of a job carries one (plus the plan, the ceiling and the budget): a
   * job's prompt is tokenized once here. Weak keys: an entry goes with its job's prompt string.
   */
  private final Map<String, Integer> promptTokens =
      Collections.synchronizedMap(new WeakHashMap<>());

  public CostEstimator(WorkerConfig config) {
    this.config = config;
  }

  /**
   * The usage the job will cause, if its size and quality are ones the upstream knows. Output image
   * tokens follow the published GPT Image table; a route whose model's tokens differ is priced per
   * image, never per output token ({@link RouteSettings#outputTokensPublished()}).
   */
  public Optional<TokenUsage> usage(JobRequest job) {
    Optional<ImageSize> size = job.imageSize();
    Optional<ImageQuality> quality = job.imageQuality();
    if (size.isEmpty()
        || quality.isEmpty()
        || job.prompt() == null
        || job.n() == null
        || job.n() < 1) {
      return Optional.empty();
    }
    CostSettings costs = config.costs();
    long output =
        costs.outputTokens(quality.get(), size.get().width(), size.get().height()) * job.n();
    long prompt = promptTokens(job.prompt());
    long references = costs.referenceImageTokens() * job.referenceImageUrls().size();
    return Optional.of(
        new TokenUsage(prompt, references, 0, output, 0, prompt + references + output));
  }

  /**
   * Tokenizes outside the map's lock: a tokenization takes long enough that holding the lock for it
   * stalled every other thread's estimate (the intake's and the storage threads' alike) behind it.
   * Two threads may count one new prompt at once; both get the same number.
   */
  int promptTokens(String prompt) {
    Integer known = promptTokens.get(prompt);
    if (known != null) {
      return known;
    }
    int counted = PromptTokens.count(prompt);
    promptTokens.put(prompt, counted);
    return counted;
  }

  /**
   * The estimated cost in USD on {@code route}, if the route is configured and the job can be
   * priced.
   */
  public Optional<BigDecimal> estimate(JobRequest job, String route) {
    if (route == null) {
      return Optional.empty();
    }
    Optional<RoutePrices> prices = config.route(route).map(RouteSettings::prices);
    if (prices.isEmpty()) {
      return Optional.empty();
    }
    return usage(job).map(u -> CostCalculator.cost(u, job.n(), prices.get()));
  }
}
