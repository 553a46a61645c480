package io.imagefleet.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.imagefleet.contracts.Json;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;

/**
 * The web console, wired: one Kafka feed into three bounded views, the pages' event stream, the
 * operator's actions, and the HTTP server over them. The one public door into this package, for
 * {@code imagefleet console} and for tests.
 */
public final class Console implements AutoCloseable {
  /** Actions kept for the page; older ones stay on the audit topic. */
  static final int MAX_ACTIONS = 200;

  private final ConsoleSettings settings;
  private final EventStream stream;
  private final ConsoleFeed feed;
  private final GroupWatcher group;
  private final ConsoleServer server;
  private final ConsoleImages images;
  private final Actions actions;

  private Console(
      ConsoleSettings settings,
      EventStream stream,
      ConsoleFeed feed,
      GroupWatcher group,
      ConsoleServer server,
      ConsoleImages images,
      Actions actions) {
    this.settings = settings;
    this.stream = stream;
    this.feed = feed;
    this.group = group;
    this.server = server;
    this.images = images;
    this.actions = actions;
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
    ActionLog log = new ActionLog(MAX_ACTIONS);
    EventStream stream = new EventStream(ConsoleServer.MAX_PAGES);
    ConsoleFeed.Publisher publisher =
        (event, body) -> stream.publish(event, owner(body), json(body));
    ConsoleFeed feed = new ConsoleFeed(client, settings, jobs, fleet, log, publisher);
    Actions actions = null;
    ConsoleImages images = null;
    ConsoleServer server;
    try {
      actions = new Actions(client, settings, whyOff(settings, feed), jobs, log, Clock.systemUTC());
      images = new ConsoleImages(settings.storageDirectory(), settings.s3());
      images.checkStore();
      server = new ConsoleServer(settings, jobs, fleet, stream, images, actions);
    } catch (RuntimeException e) {
      feed.close();
      if (actions != null) {
        actions.close();
      }
      if (images != null) {
        images.close();
      }
      throw e;
    }
    GroupWatcher group =
        new GroupWatcher(
            client,
            settings.group(),
            settings.actions().redriveGroup(),
            settings.deadLettersTopic(),
            fleet,
            publisher);
    server.start();
    feed.start();
    group.start();
    return new Console(settings, stream, feed, group, server, images, actions);
  }

  /**
   * Whose work a change is, for which pages see it: a job's tenant; for an action, the tenant of
   * the job cancelled, nobody's for a redrive (only the operator sees those); everyone's for the
   * rest.
   */
  private static String owner(Object body) {
    if (body instanceof JobView.JobSummary job) {
      return job.tenant();
    }
    return body instanceof ActionRecord action ? action.owner() : null;
  }

  private static Optional<String> whyOff(ConsoleSettings settings, ConsoleFeed feed) {
    if (!settings.actions().enabled()) {
      return Optional.of(
          "this console is read-only (--read-only, or listening beyond loopback without"
              + " --allow-actions)");
    }
    if (!feed.readsActions()) {
      return Optional.of(
          "no topic "
              + settings.actions().auditTopic()
              + ", where actions are recorded: create it with bin/imagefleet topics");
    }
    return Optional.empty();
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
    actions.close();
  }
}
