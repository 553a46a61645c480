package io.imagefleet.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.imagefleet.contracts.Json;
import java.time.Clock;
import java.util.Properties;

/**
 * The web console, wired: one Kafka feed into two bounded views, the pages' event stream, and the
 * HTTP server over them. The one public door into this package, for {@code imagefleet console} and
 * for tests.
 */
public final class Console implements AutoCloseable {
  private final ConsoleSettings settings;
  private final EventStream stream;
  private final ConsoleFeed feed;
  private final GroupWatcher group;
  private final ConsoleServer server;
  private final ConsoleImages images;

  private Console(
      ConsoleSettings settings,
      EventStream stream,
      ConsoleFeed feed,
      GroupWatcher group,
      ConsoleServer server,
      ConsoleImages images) {
    this.settings = settings;
    this.stream = stream;
    this.feed = feed;
    this.group = group;
    this.server = server;
    this.images = images;
  }

  /**
   * Binds the port and assigns the topics, then serves and reads.
   *
   * @throws IllegalStateException when the port is taken or the events topic is missing
   */
  public static Console start(Properties client, ConsoleSettings settings) {
    JobView jobs = new JobView(settings.maxJobs());
    FleetView fleet =
        new FleetView(settings.maxDeadLetters(), settings.staleAfter(), Clock.systemUTC());
    EventStream stream = new EventStream(ConsoleServer.MAX_PAGES);
    ConsoleImages images = new ConsoleImages(settings.storageDirectory(), settings.s3());
    ConsoleServer server;
    try {
      server = new ConsoleServer(settings, jobs, fleet, stream, images);
    } catch (RuntimeException e) {
      images.close();
      throw e;
    }
    ConsoleFeed.Publisher publisher =
        (event, body) ->
            stream.publish(
                event, body instanceof JobView.JobSummary job ? job.tenant() : null, json(body));
    ConsoleFeed feed;
    try {
      feed = new ConsoleFeed(client, settings, jobs, fleet, publisher);
    } catch (RuntimeException e) {
      server.close();
      images.close();
      throw e;
    }
    GroupWatcher group = new GroupWatcher(client, settings.group(), fleet, publisher);
    server.start();
    feed.start();
    group.start();
    return new Console(settings, stream, feed, group, server, images);
  }

  public int port() {
    return server.port();
  }

  /** The address to open, without the token. */
  public String url() {
    String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
    if ("0.0.0.0".equals(host)) {
      host = "localhost";
    }
    return "http://" + host + ":" + port() + "/";
  }

  private static String json(Object body) {
    try {
      return Json.mapper().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the console's JSON", e);
    }
  }

  @Override
  public void close() {
    stream.close();
    group.close();
    feed.close();
    server.close();
    images.close();
  }
}
