package io.imagefleet.sandbox.upstream;

import java.util.List;

/**
 * One model the simulated gateway serves, with its own parameter rules and prices: a create call
 * that breaks its model's rules is answered 400 {@code invalid_request} naming the field, as the
 * gateway does.
 *
 * <p>The rules follow the gateway's public documentation: the {@code gpt-image-1.5} family (its
 * lite channel and {@code gpt-image-1} included) takes a prompt of at most 2,000 tokens, {@code
 * gpt-image-2} (and its beta channel) one of at most 32,000 characters. Only {@code
 * gpt-image-1.5}'s prices are published; the others here are the simulator's own, made up so that
 * models differ (lite and mini cheaper, version 2 billed per image), and only affect {@code
 * credits_reserved}.
 *
 * @param promptMaxChars most characters (code points) of a prompt
 * @param promptMaxTokens most prompt tokens, counted as the simulator does (one per four
 *     characters); 0 for no token limit
 * @param perImageUsd a price per image on top of the token prices (a model billed per call)
 */
record SimModel(
    String name,
    int promptMaxChars,
    int promptMaxTokens,
    int maxImages,
    int maxReferenceImages,
    double imageOutputUsdPer1k,
    double imageInputUsdPer1k,
    double textInputUsdPer1k,
    double perImageUsd) {

  /** The widest prompt any model takes. */
  static final int MAX_PROMPT_CHARS = 32_000;

  private static final int GPT_IMAGE_1_5_TOKENS = 2_000;

  /** The model named {@code name}: its published rules, or the {@code gpt-image-1.5} family's. */
  static SimModel named(String name) {
    if (name.startsWith("gpt-image-2")) {
      return new SimModel(
          name,
          MAX_PROMPT_CHARS,
          0,
          CreateRequestParser.MAX_IMAGES,
          CreateRequestParser.MAX_REFERENCE_IMAGES,
          0,
          0,
          0,
          name.endsWith("-beta") ? 0.03 : 0.04);
    }
    double discount = name.endsWith("-lite") || name.endsWith("-mini") ? 0.5 : 1.0;
    return new SimModel(
        name,
        MAX_PROMPT_CHARS,
        GPT_IMAGE_1_5_TOKENS,
        CreateRequestParser.MAX_IMAGES,
        CreateRequestParser.MAX_REFERENCE_IMAGES,
        UsagePricing.IMAGE_OUTPUT_USD_PER_1K * discount,
        UsagePricing.IMAGE_INPUT_USD_PER_1K * discount,
        UsagePricing.TEXT_INPUT_USD_PER_1K * discount,
        0);
  }

  static List<SimModel> named(List<String> names) {
    return names.stream().map(SimModel::named).toList();
  }

  /**
   * @throws RejectedRequestException with a 400 answer when this model cannot do the request
   */
  void check(CreateRequest request) {
    String prompt = request.prompt();
    int chars = prompt.codePointCount(0, prompt.length());
    if (chars > promptMaxChars) {
      throw reject(
          "prompt", "prompt must be at most " + promptMaxChars + " characters on " + name + ".");
    }
    if (promptMaxTokens > 0 && UsagePricing.textTokens(prompt) > promptMaxTokens) {
      throw reject(
          "prompt", "prompt must be at most " + promptMaxTokens + " tokens on " + name + ".");
    }
    if (request.n() > maxImages) {
      throw reject("n", "n must be at most " + maxImages + " on " + name + ".");
    }
    if (request.imageUrls().size() > maxReferenceImages) {
      throw reject(
          "image_urls",
          "image_urls may hold at most " + maxReferenceImages + " URLs on " + name + ".");
    }
  }

  /** Price in USD of a task's usage and images on this model. */
  double costUsd(TokenUsage usage, int images) {
    return usage.outputTokens() * imageOutputUsdPer1k / 1000
        + usage.imageTokens() * imageInputUsdPer1k / 1000
        + usage.textTokens() * textInputUsdPer1k / 1000
        + images * perImageUsd;
  }

  private static RejectedRequestException reject(String param, String message) {
    return new RejectedRequestException(ApiError.invalidRequest(param, message));
  }
}
