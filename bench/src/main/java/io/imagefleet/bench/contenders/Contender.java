package io.imagefleet.bench.contenders;

/**
 * One contender running inside a child JVM: started by {@link ContenderMain}, asked how many jobs
 * it carries, closed at the end of its run.
 */
interface Contender extends AutoCloseable {

  /** Jobs started and not yet ended, as far as the contender can tell. */
  int inFlight();

  @Override
  void close();
}
