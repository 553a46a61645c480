package io.imagefleet.sandbox.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /v1/images/generations}: checks the key, validates the body, applies the model's
 * creation rate limit, route state, quota switch and faults (in that order, so a test asserting a
 * 400 never meets a random 503), then stores a task and answers it in {@code pending} state. A
 * create refused by the rate limit takes no token and creates nothing; one let through has taken
 * its token whatever happens to it next, as a gateway counts requests, not tasks.
 */
final class CreateTaskHandler {

  private final ObjectMapper mapper;
  private final ApiKeyCheck apiKey;
  private final Supplier<SimulatorKnobs> knobs;
  private final Routes routes;
  private final RateLimits limits;
  private final FaultInjector faults;
  private final Chance chance;
  private final TaskStore store;
  private final TaskJson taskJson;
  private final StatsCounters stats;
  private final Replies replies;
  private final Clock clock;

  CreateTaskHandler(
      ObjectMapper mapper,
      ApiKeyCheck apiKey,
      Supplier<SimulatorKnobs> knobs,
      Routes routes,
      RateLimits limits,
      FaultInjector faults,
      Chance chance,
      TaskStore store,
      TaskJson taskJson,
      StatsCounters stats,
      Replies replies,
      Clock clock) {
    this.mapper = mapper;
    this.apiKey = apiKey;
    this.knobs = knobs;
    this.routes = routes;
    this.limits = limits;
    this.faults = faults;
    this.chance = chance;
    this.store = store;
    this.taskJson = taskJson;
    this.stats = stats;
    this.replies = replies;
    this.clock = clock;
  }

  void handle(HttpExchange exchange) {
    stats.createRequest();
    SimulatorKnobs now = knobs.get();
    Duration delay = chance.sample(now.createLatency());
    try {
      create(exchange, now, delay);
    } catch (RejectedRequestException e) {
      replies.error(exchange, e.error(), delay);
    }
  }

  private void create(HttpExchange exchange, SimulatorKnobs now, Duration delay) {
    if (!apiKey.accepts(exchange)) {
      throw new RejectedRequestException(ApiKeyCheck.UNAUTHORIZED);
    }
    CreateRequest request = CreateRequestParser.parse(JsonBodies.read(exchange, mapper));
    PromptScript script = script(request.prompt());
    SimModel model =
        routes
            .model(request.model())
            .orElseThrow(
                () ->
                    new RejectedRequestException(
                        ApiError.of(
                                403,
                                "model_access_denied",
                                "You do not have access to model '" + request.model() + "'.")
                            .withParam("model")));
    Optional<Duration> limited = limits.tryCreate(request.model(), now);
    if (limited.isPresent()) {
      stats.createRateLimited();
      throw new RejectedRequestException(ApiError.rateLimited(limited.get()));
    }
    model.check(request);
    if (now.quotaExhausted()) {
      throw new RejectedRequestException(ApiError.fault(FaultKind.INSUFFICIENT_QUOTA, 0));
    }
    if (!routes.isUp(request.model())) {
      throw new RejectedRequestException(
          ApiError.of(
              503,
              "service_unavailable",
              "Model '" + request.model() + "' is temporarily unavailable."));
    }
    Optional<FaultInjector.Fault> fault =
        faults.forCreate(request.prompt(), script, now.createFaults());
    boolean answerLost = fault.isPresent() && fault.get().kind() == FaultKind.LOST;
    if (fault.isPresent() && !answerLost) {
      if (fault.get().kind() == FaultKind.HANG) {
        replies.hang(exchange);
        return;
      }
      if (fault.get().kind() == FaultKind.RATE_LIMITED) {
        stats.createFaultRateLimited();
      }
      throw new RejectedRequestException(
          ApiError.fault(fault.get().kind(), fault.get().retryAfterSeconds()));
    }
    Duration planned = script.duration().orElseGet(() -> chance.sample(now.taskDuration()));
    Optional<String> failCode =
        script.failCode().isPresent() ? script.failCode() : chance.failure(now.taskFailureRates());
    SimTask task =
        store.create(clock.instant(), request, model, planned, failCode, script.queryFault());
    stats.taskCreated(request.model(), request.prompt());
    if (answerLost) {
      replies.hang(exchange); // accepted and billed, but the client never hears of it
      return;
    }
    replies.json(exchange, 200, taskJson.render(task, TaskState.INITIAL), delay);
  }

  private static PromptScript script(String prompt) {
    try {
      return PromptScript.parse(prompt);
    } catch (IllegalArgumentException e) {
      throw new RejectedRequestException(ApiError.invalidRequest("prompt", e.getMessage()));
    }
  }
}
