package io.imagefleet.worker.upstream;

import io.imagefleet.contracts.ErrorCodes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a completed task's results can be used: exactly the {@code n} images asked for, each an
 * http(s) URL with a host. The upstream's answer is outside the fleet's control, and the HTTP
 * client throws on a link it cannot send, which would end the job as a worker bug (dead letter, no
 * terminal event, reservation never settled). Messages name the result's position, never the link
 * itself: the upstream decides its length and content.
 */
public final class ResultCheck {
  static final String NO_CONTENT = "generation_failed_no_content";

  private ResultCheck() {}

  /** The links to download, or the failure that ends the job. */
  public static UpstreamOutcome<List<URI>> check(UpstreamTask task, int requested) {
    List<String> links = task.results();
    if (links.isEmpty()) {
      // Kept apart from the code below: it predates it, and a task that produced nothing is the
      // generation's failure rather than a malformed answer.
      return new UpstreamOutcome.Failure<>(
          FailureKind.TRANSIENT,
          NO_CONTENT,
          "task completed without result links",
          0,
          Optional.empty());
    }
    if (links.size() != requested) {
      return failure(
          ErrorCodes.INVALID_UPSTREAM_RESULT,
          "the task completed with "
              + links.size()
              + " result link(s), but "
              + requested
              + " image(s) were asked for");
    }
    List<URI> usable = new ArrayList<>(links.size());
    for (int i = 0; i < links.size(); i++) {
      Optional<URI> link = httpUrlWithHost(links.get(i));
      if (link.isEmpty()) {
        return failure(
            ErrorCodes.INVALID_UPSTREAM_RESULT,
            "result link " + i + " of " + links.size() + " is not an http(s) URL with a host");
      }
      usable.add(link.get());
    }
    return UpstreamOutcome.success(List.copyOf(usable));
  }

  static Optional<URI> httpUrlWithHost(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean web = scheme.equals("http") || scheme.equals("https");
      // getHost() is null when the authority is missing or not a server name (http:///x,
      // http://a_b/).
      return web && uri.getHost() != null && !uri.getHost().isBlank()
          ? Optional.of(uri)
          : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * Not retryable, like a link the download refuses (same code): nothing says a new, paid task
   * would come back different, so whether to pay for one is the producer's call.
   */
  private static UpstreamOutcome<List<URI>> failure(String code, String message) {
    return new UpstreamOutcome.Failure<>(FailureKind.REJECTED, code, message, 0, Optional.empty());
  }
}
