package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JitCpuTest {
  @Test
  void countsTheUserAndSystemTicksOfCompilerThreadsOnly() {
    String c2 =
        "1891 (C2 CompilerThre) S 1869 1869 5 0 -1 1077936192 20 0 0 0 1047 39 0 0 20 0 40 0";
    String c1 =
        "1892 (C1 CompilerThre) S 1869 1869 5 0 -1 1077936192 20 0 0 0 374 55 0 0 20 0 40 0";
    String worker =
        "2014 (upstream-http-1) S 1869 1869 5 0 -1 1077936192 20 0 0 0 176 23 0 0 20 0 40 0";

    assertThat(JitCpu.compilerTicks(c2)).isEqualTo(1047 + 39);
    assertThat(JitCpu.compilerTicks(c1)).isEqualTo(374 + 55);
    assertThat(JitCpu.compilerTicks(worker)).isZero();
  }

  @Test
  void aThreadNameWithParenthesesAndSpacesDoesNotShiftTheFields() {
    String odd = "7 (C2 CompilerThre) x) S 1 1 5 0 -1 0 0 0 0 0 10 2 0 0 20 0 40 0";

    assertThat(JitCpu.compilerTicks(odd)).isEqualTo(12);
  }

  @Test
  void readsThisJvmsCompilerThreadsWhereThereIsAProcFileSystem() {
    Duration jit = JitCpu.of(ProcessHandle.current().pid());

    // This JVM has compiled JUnit and AssertJ by now; elsewhere than Linux the answer is zero.
    if (Files.isDirectory(Path.of("/proc/self/task"))) {
      assertThat(jit).isPositive();
    } else {
      assertThat(jit).isZero();
    }
  }

  @Test
  void aProcessThatIsGoneHasNone() {
    assertThat(JitCpu.of(Long.MAX_VALUE)).isZero();
  }
}
