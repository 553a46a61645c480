package io.imagefleet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time of a JVM's JIT compiler threads, read from Linux's {@code /proc/<pid>/task}: the JVM
 * does not report its compiler threads' CPU itself ({@code CompilationMXBean} gives elapsed compile
 * time only).
 */
final class JitCpu {
  /**
   * {@code /proc} counts CPU time in clock ticks of USER_HZ, which Linux fixes at 100 per second.
   */
  private static final long MILLIS_PER_TICK = 10;

  private JitCpu() {}

  /**
   * The compiler threads' CPU so far; zero where there is no {@code /proc} or the process is gone.
   */
  static Duration of(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long ticks = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        ticks += compilerTicks(thread.resolve("stat"));
      }
    } catch (IOException | RuntimeException e) {
      return Duration.ZERO; // not Linux, or the process ended
    }
    return Duration.ofMillis(ticks * MILLIS_PER_TICK);
  }

  private static long compilerTicks(Path stat) {
    try {
      return compilerTicks(Files.readString(stat));
    } catch (IOException e) {
      return 0; // the thread ended meanwhile
    }
  }

  /**
   * utime + stime of one {@code stat} line when its thread is a C1 or C2 compiler thread, else 0.
   */
  static long compilerTicks(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      return 0;
    }
    String name = stat.substring(open + 1, close);
    if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
      return 0;
    }
    // After the name: state, ppid, ... with utime and stime the 12th and 13th fields (stat's 14th
    // and 15th).
    String[] fields = stat.substring(close + 2).trim().split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
