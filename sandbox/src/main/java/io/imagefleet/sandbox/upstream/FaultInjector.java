package io.imagefleet.sandbox.upstream;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides whether a create or query call fails on purpose: first the prompt's scripted fault (the
 * first N calls carrying that exact prompt), then the knobs' random rates. Thread-safe.
 */
final class FaultInjector {

  /** A fault to apply to one call. */
  record Fault(FaultKind kind, int retryAfterSeconds) {}

  private final Chance chance;
  private final ConcurrentMap<String, AtomicInteger> createCallsByPrompt =
      new ConcurrentHashMap<>();

  FaultInjector(Chance chance) {
    this.chance = chance;
  }

  Optional<Fault> forCreate(String prompt, PromptScript script, FaultRates rates) {
    if (script.createFault().isPresent()) {
      ScriptedFault scripted = script.createFault().get();
      int call =
          createCallsByPrompt.computeIfAbsent(prompt, k -> new AtomicInteger()).incrementAndGet();
      if (call <= scripted.times()) {
        return Optional.of(
            new Fault(
                scripted.kind(), scripted.retryAfterSeconds().orElse(rates.retryAfterSeconds())));
      }
    }
    return random(rates);
  }

  Optional<Fault> forQuery(SimTask task, FaultRates rates) {
    if (task.takeScriptedQueryFault()) {
      ScriptedFault scripted = task.queryFault().orElseThrow();
      return Optional.of(
          new Fault(
              scripted.kind(), scripted.retryAfterSeconds().orElse(rates.retryAfterSeconds())));
    }
    return random(rates);
  }

  /** Forgets how many scripted create calls each prompt has had. */
  void reset() {
    createCallsByPrompt.clear();
  }

  private Optional<Fault> random(FaultRates rates) {
    return chance.fault(rates).map(kind -> new Fault(kind, rates.retryAfterSeconds()));
  }
}
