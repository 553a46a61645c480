package io.imagefleet.cli.console;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.FutureCallback;

/**
 * Server-sent events to the open pages. The feed thread {@link #publish publishes} each change
 * once, as bytes that every page shares; every page has its own bounded queue, drained by the HTTP
 * thread that serves that page. A page that falls behind by more than {@link #QUEUE} changes loses
 * them and is told to {@code resync} (fetch everything again) rather than letting its queue grow: a
 * slow browser costs no memory and never slows the feed.
 *
 * <p>A page's thread writes whatever has queued up in one write, after waiting {@link #LINGER} for
 * more: at thousands of changes a second a write and a wake-up per change per page cost more CPU
 * than the rest of the console together (docs/benchmark.md, the console scenario).
 *
 * <p>One HTTP thread per open page, blocked on its queue: simple, and bounded by {@code maxPages}.
 */
final class EventStream implements AutoCloseable {
  /**
   * Changes a page may be behind before it must resync. The frames are shared by the pages that see
   * them, so a queue costs a reference per change.
   */
  static final int QUEUE = 2048;

  /** How long a page waits for more changes before it writes: a person sees no difference. */
  static final Duration LINGER = Duration.ofMillis(20);

  private static final Duration KEEPALIVE = Duration.ofSeconds(15);
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
  private static final byte[] RESYNC = ascii("event: resync\ndata: {}\n\n");
  private static final byte[] KEEPALIVE_FRAME = ascii(": keepalive\n\n");

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
    byte[] frame =
        ("event: " + event + "\ndata: " + json.replace("\n", "\ndata: ") + "\n\n")
            .getBytes(StandardCharsets.UTF_8);
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
      if (!write(response, List.of(ascii("retry: 2000\n\nevent: hello\ndata: {}\n\n")))) {
        return true;
      }
      while (!closed) {
        List<byte[]> frames = page.next(KEEPALIVE);
        if (closed) {
          break;
        }
        if (!write(response, frames.isEmpty() ? List.of(KEEPALIVE_FRAME) : frames)) {
          break;
        }
      }
      return true;
    } finally {
      pages.remove(page);
    }
  }

  /** Whether the page took them, in one write: a page gone away fails the write. */
  private static boolean write(Response response, List<byte[]> frames) throws InterruptedException {
    int size = 0;
    for (byte[] f : frames) {
      size += f.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    for (byte[] f : frames) {
      buffer.put(f);
    }
    FutureCallback written = new FutureCallback();
    response.write(false, buffer.flip(), written);
    try {
      written.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    synchronized (pages) {
      closed = true;
    }
    for (Page page : pages) {
      page.offer(ascii(": bye\n\n"));
    }
  }

  /** One open page's queue; its lock guards the queue. */
  private static final class Page {
    private final Viewer viewer;
    private final Deque<byte[]> frames = new ArrayDeque<>();
    private boolean fellBehind;

    Page(Viewer viewer) {
      this.viewer = viewer;
    }

    synchronized void offer(byte[] frame) {
      if (frames.size() >= QUEUE) {
        frames.clear();
        fellBehind = true;
        notifyAll();
      }
      // Only an empty queue has a thread waiting on it; one lingering is woken by nothing.
      if (frames.isEmpty()) {
        notifyAll();
      }
      frames.addLast(frame);
    }

    /**
     * What queued up: every frame after a {@link #LINGER}, or one resync, or none when nothing came
     * within {@code wait}.
     */
    synchronized List<byte[]> next(Duration wait) throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      while (frames.isEmpty() && !fellBehind) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return List.of();
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      if (!fellBehind) {
        TimeUnit.NANOSECONDS.timedWait(this, LINGER.toNanos());
      }
      if (fellBehind) {
        fellBehind = false;
        frames.clear();
        return List.of(RESYNC);
      }
      List<byte[]> batch = new ArrayList<>(frames);
      frames.clear();
      return batch;
    }
  }
}
