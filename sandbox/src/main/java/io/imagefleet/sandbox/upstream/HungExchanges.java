package io.imagefleet.sandbox.upstream;

import com.sun.net.httpserver.HttpExchange;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls the simulator deliberately never answers. They hold no thread: the exchange is parked here
 * and its connection dropped (no answer) after {@code maxHang} or when the simulator closes, so a
 * client sees a hang until its own timeout. Thread-safe.
 */
final class HungExchanges {

  private final Set<HttpExchange> held = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService scheduler;
  private final Duration maxHang;

  HungExchanges(ScheduledExecutorService scheduler, Duration maxHang) {
    this.scheduler = scheduler;
    this.maxHang = maxHang;
  }

  void hold(HttpExchange exchange) {
    held.add(exchange);
    scheduler.schedule(() -> drop(exchange), maxHang.toMillis(), TimeUnit.MILLISECONDS);
  }

  int size() {
    return held.size();
  }

  void dropAll() {
    held.forEach(this::drop);
  }

  private void drop(HttpExchange exchange) {
    if (held.remove(exchange)) {
      // Closing before response headers were sent closes the connection without an answer.
      exchange.close();
    }
  }
}
