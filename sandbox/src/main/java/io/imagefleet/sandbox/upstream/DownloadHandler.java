package io.imagefleet.sandbox.upstream;

import com.sun.net.httpserver.HttpExchange;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code GET /files/<taskId>/<index>.png?expires=..&sig=..}: serves a completed task's result
 * image. No API key (like a CDN link); 403 for a tampered link, 410 (or 403, configurable) once
 * expired, 404 for anything that is not a result of a completed task.
 */
final class DownloadHandler {

  static final String PREFIX = "/files/";

  private final ResultLinks links;
  private final TaskStore store;
  private final PngImages images;
  private final StatsCounters stats;
  private final Replies replies;
  private final Clock clock;
  private final int expiredStatus;

  DownloadHandler(
      ResultLinks links,
      TaskStore store,
      PngImages images,
      StatsCounters stats,
      Replies replies,
      Clock clock,
      int expiredStatus) {
    this.links = links;
    this.store = store;
    this.images = images;
    this.stats = stats;
    this.replies = replies;
    this.clock = clock;
    this.expiredStatus = expiredStatus;
  }

  void handle(HttpExchange exchange) {
    stats.downloadRequest();
    try {
      download(exchange);
    } catch (RejectedRequestException e) {
      replies.error(exchange, e.error(), Duration.ZERO);
    }
  }

  private void download(HttpExchange exchange) {
    ResultLinks.Link link =
        ResultLinks.parse(
                exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery())
            .orElseThrow(DownloadHandler::notFound);
    switch (links.verify(link, clock.instant())) {
      case BAD_SIGNATURE ->
          throw new RejectedRequestException(
              ApiError.of(403, "access_denied", "The link signature is not valid."));
      case EXPIRED ->
          throw new RejectedRequestException(
              ApiError.of(
                  expiredStatus, "link_expired", "The link has expired; results are kept 24 h."));
      case VALID -> {
        // go on
      }
    }
    SimTask task = store.find(link.taskId()).orElseThrow(DownloadHandler::notFound);
    if (link.index() >= task.request().n() || !task.stateAt(clock.instant()).isCompleted()) {
      throw notFound();
    }
    PngImages.PngImage image =
        images.image(task.request().size(), PngImages.variantFor(task.id(), link.index()));
    exchange.getResponseHeaders().set("Cache-Control", "private, max-age=3600");
    replies.bytes(exchange, 200, "image/png", image.bytes());
  }

  private static RejectedRequestException notFound() {
    return new RejectedRequestException(ApiError.of(404, "not_found", "No such file."));
  }
}
