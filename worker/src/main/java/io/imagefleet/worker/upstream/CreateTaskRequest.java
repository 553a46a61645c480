package io.imagefleet.worker.upstream;

import java.util.List;

/**
 * The body of {@code POST /v1/images/generations}. The job's own callback URL is deliberately not
 * forwarded: the worker tells teams itself, after the images are safely stored.
 */
public record CreateTaskRequest(
    String model, String prompt, String size, String quality, int n, List<String> imageUrls) {
  public CreateTaskRequest {
    imageUrls = List.copyOf(imageUrls);
  }

  public CreateTaskRequest withModel(String otherModel) {
    return new CreateTaskRequest(otherModel, prompt, size, quality, n, imageUrls);
  }
}
