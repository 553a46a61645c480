package io.imagefleet.cli.console;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.FutureCallback;

/**
 * Server-sent events to the open pages. The feed thread {@link #publish publishes} each change
 * once; every page has its own bounded queue, drained by the HTTP thread that serves that page. A
 * page that falls behind by more than {@link #QUEUE} changes loses them and is told to {@code
 * resync} (fetch everything again) rather than letting its queue grow: a slow browser costs no
 * memory and never slows the feed.
 *
 * <p>One HTTP thread per open page, blocked on its queue: simple, and bounded by {@code maxPages}.
 */
final class EventStream implements AutoCloseable {
  static final int QUEUE = 512;
  private static final Duration KEEPALIVE = Duration.ofSeconds(15);
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

  private final int maxPages;
  private final Set<Page> pages = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  EventStream(int maxPages) {
    this.maxPages = maxPages;
  }

  /**
   * Sends one event to every open page whose viewer sees {@code owner}'s work (every page when
   * {@code owner} is null); never blocks.
   */
  void publish(String event, String owner, String json) {
    String frame = "event: " + event + "\ndata: " + json.replace("\n", "\ndata: ") + "\n\n";
    for (Page page : pages) {
      if (owner == null || page.viewer.sees(owner)) {
        page.offer(frame);
      }
    }
  }

  int pages() {
    return pages.size();
  }

  /**
   * Serves one page, seen by {@code viewer}, until it leaves or the console stops; blocks the
   * calling thread meanwhile.
   *
   * @return false without answering when {@code maxPages} pages are open already
   */
  boolean serve(Response response, Viewer viewer) throws InterruptedException {
    Page page = new Page(viewer);
    synchronized (pages) {
      if (closed || pages.size() >= maxPages) {
        return false;
      }
      pages.add(page);
    }
    try {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      if (!write(response, "retry: 2000\n\nevent: hello\ndata: {}\n\n")) {
        return true;
      }
      while (!closed) {
        String frame = page.next(KEEPALIVE);
        if (closed) {
          break;
        }
        if (!write(response, frame == null ? ": keepalive\n\n" : frame)) {
          break;
        }
      }
      return true;
    } finally {
      pages.remove(page);
    }
  }

  /** Whether the page took it: a page gone away fails the write. */
  private static boolean write(Response response, String text) throws InterruptedException {
    FutureCallback written = new FutureCallback();
    response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
    try {
      written.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() {
    synchronized (pages) {
      closed = true;
    }
    for (Page page : pages) {
      page.offer(": bye\n\n");
    }
  }

  /** One open page's queue; its lock guards the queue. */
  private static final class Page {
    private final Viewer viewer;
    private final Deque<String> frames = new ArrayDeque<>();
    private boolean fellBehind;

    Page(Viewer viewer) {
      this.viewer = viewer;
    }

    synchronized void offer(String frame) {
      if (frames.size() >= QUEUE) {
        frames.clear();
        fellBehind = true;
      }
      frames.addLast(frame);
      notifyAll();
    }

    /** The next frame, or null when none came within {@code wait}. */
    synchronized String next(Duration wait) throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      while (frames.isEmpty() && !fellBehind) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      if (fellBehind) {
        fellBehind = false;
        frames.clear();
        return "event: resync\ndata: {}\n\n";
      }
      return frames.pollFirst();
    }
  }
}
