package io.imagefleet.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Token usage of one upstream task, as the upstream reported it; cost is computed from this.
 *
 * @param inputTextTokens prompt tokens
 * @param inputImageTokens reference image tokens (edits only)
 * @param cachedInputTokens input tokens served from cache, when reported
 * @param outputImageTokens generated image tokens
 * @param outputTextTokens output text and thinking tokens, when reported
 * @param totalTokens the upstream's total
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenUsage(
    long inputTextTokens,
    long inputImageTokens,
    long cachedInputTokens,
    long outputImageTokens,
    long outputTextTokens,
    long totalTokens) {

  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0, 0);
}
