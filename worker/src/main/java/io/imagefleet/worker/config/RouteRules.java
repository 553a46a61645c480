package io.imagefleet.worker.config;

import io.imagefleet.contracts.ImageQuality;
import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobValidator;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one route's model accepts: the rules a job must meet to be sent there. The job-request
 * contract states the widest bounds any route has; these are the route's own, never wider.
 *
 * @param promptMaxChars most characters (code points) of a prompt
 * @param promptMaxTokens most {@code o200k_base} tokens of a prompt; 0 when the model counts
 *     characters only
 * @param sizes the sizes the model renders
 * @param qualities the qualities it offers
 * @param maxImages most images per task ({@code n})
 * @param maxReferenceImages most reference images ({@code image_urls}); 0 when it takes none
 */
public record RouteRules(
    int promptMaxChars,
    int promptMaxTokens,
    Set<ImageSize> sizes,
    Set<ImageQuality> qualities,
    int maxImages,
    int maxReferenceImages) {

  public RouteRules {
    if (promptMaxChars < 1 || promptMaxChars > JobValidator.MAX_PROMPT_CHARS) {
      throw new ConfigException(
          "prompt-max-chars must be 1 to "
              + JobValidator.MAX_PROMPT_CHARS
              + ", but was "
              + promptMaxChars);
    }
    if (promptMaxTokens < 0) {
      throw new ConfigException(
          "prompt-max-tokens must be >= 0 (0: no token limit), but was " + promptMaxTokens);
    }
    sizes = Set.copyOf(Objects.requireNonNull(sizes, "sizes"));
    qualities = Set.copyOf(Objects.requireNonNull(qualities, "qualities"));
    if (sizes.isEmpty() || qualities.isEmpty()) {
      throw new ConfigException("sizes and qualities must each name at least one value");
    }
    if (maxImages < 1 || maxImages > JobValidator.MAX_IMAGES) {
      throw new ConfigException(
          "max-images must be 1 to " + JobValidator.MAX_IMAGES + ", but was " + maxImages);
    }
    if (maxReferenceImages < 0 || maxReferenceImages > JobValidator.MAX_REFERENCE_IMAGES) {
      throw new ConfigException(
          "max-reference-images must be 0 to "
              + JobValidator.MAX_REFERENCE_IMAGES
              + ", but was "
              + maxReferenceImages);
    }
  }

  /** Every size, quality, image count and reference image the job contract allows. */
  static RouteRules widest(int promptMaxChars, int promptMaxTokens) {
    return new RouteRules(
        promptMaxChars,
        promptMaxTokens,
        EnumSet.allOf(ImageSize.class),
        EnumSet.allOf(ImageQuality.class),
        JobValidator.MAX_IMAGES,
        JobValidator.MAX_REFERENCE_IMAGES);
  }
}
