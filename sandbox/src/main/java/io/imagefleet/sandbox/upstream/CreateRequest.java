package io.imagefleet.sandbox.upstream;

import java.util.List;
import java.util.Optional;

/** A create call's body after validation, with the documented defaults applied. */
record CreateRequest(
    String model,
    String prompt,
    ImageSize size,
    ImageQuality quality,
    int n,
    List<String> imageUrls,
    Optional<String> callbackUrl) {

  CreateRequest {
    imageUrls = List.copyOf(imageUrls);
  }
}
