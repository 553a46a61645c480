package io.imagefleet.worker.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.worker.config.TenantSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantCheckTest {
  private static final String SHARED = "imagefleet.jobs.v1";
  private static final TenantTopics TOPICS = TenantTopics.defaults();

  private static TenantCheck check(TenantSettings settings, Set<String> withTopics) {
    TenantDirectory directory = new TenantDirectory(settings);
    directory.replace(withTopics);
    return new TenantCheck(SHARED, directory);
  }

  private static JobRequest job(String tenant, String callbackUrl) {
    return JobRequest.builder("job-1", tenant, "a cat").callbackUrl(callbackUrl).build();
  }

  private static Optional<String> code(Optional<JobError> refusal) {
    return refusal.map(JobError::code);
  }

  @Test
  void takesATenantsJobFromItsOwnTopic() {
    TenantCheck check = check(TenantSettings.defaults(), Set.of("team-a"));
    assertThat(check.refusal(TOPICS.jobs("team-a"), job("team-a", null))).isEmpty();
  }

  @Test
  void failsAJobNamingAnotherTenantOnATenantsTopic() {
    TenantCheck check = check(TenantSettings.defaults(), Set.of("team-a", "team-b"));
    assertThat(code(check.refusal(TOPICS.jobs("team-a"), job("team-b", null))))
        .contains(ErrorCodes.TENANT_MISMATCH);
    assertThat(code(check.refusal(TOPICS.jobs("team-a"), job("team_a", null))))
        .contains(ErrorCodes.TENANT_MISMATCH);
  }

  @Test
  void takesEveryTenantWithoutATopicOnTheSharedTopicWhenNoListIsSet() {
    TenantCheck check = check(TenantSettings.defaults(), Set.of("team-a"));
    assertThat(check.refusal(SHARED, job("anyone", null))).isEmpty();
    assertThat(code(check.refusal(SHARED, job("team-a", null))))
        .contains(ErrorCodes.TENANT_NOT_ALLOWED);
  }

  @Test
  void takesOnlyListedTenantsOnTheSharedTopicWhenAListIsSet() {
    TenantSettings settings = new TenantSettings(Set.of("catalog"), TOPICS, false, Map.of());
    TenantCheck check = check(settings, Set.of());
    assertThat(check.refusal(SHARED, job("catalog", null))).isEmpty();
    assertThat(code(check.refusal(SHARED, job("unknown", null))))
        .contains(ErrorCodes.TENANT_NOT_ALLOWED);
  }

  @Test
  void takesOnlyTenantsWithABudgetOnTheSharedTopicWhenBudgetsAreSetAndNoListIs() {
    TenantDirectory directory = new TenantDirectory(TenantSettings.defaults(), Set.of("catalog"));
    TenantCheck check = new TenantCheck(SHARED, directory);
    assertThat(check.refusal(SHARED, job("catalog", null))).isEmpty();
    assertThat(check.refusal(SHARED, job("made-up", null)))
        .hasValueSatisfying(
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCodes.TENANT_NOT_ALLOWED);
              assertThat(e.message()).contains("only tenants with a budget");
            });
  }

  @Test
  void leavesANameThatIsNotCanonicalToValidation() {
    TenantSettings settings = new TenantSettings(Set.of("catalog"), TOPICS, false, Map.of());
    assertThat(check(settings, Set.of()).refusal(SHARED, job("Not_A_Tenant", null))).isEmpty();
  }

  @Test
  void holdsCallbacksToTheTenantsPrefixes() {
    TenantSettings settings =
        new TenantSettings(
            Set.of(),
            TOPICS,
            false,
            Map.of("team-a", List.of("https://hooks.example.com/team-a/")));
    TenantCheck check = check(settings, Set.of("team-a"));
    String topic = TOPICS.jobs("team-a");
    assertThat(check.refusal(topic, job("team-a", "https://hooks.example.com/team-a/done")))
        .isEmpty();
    for (String outside :
        List.of(
            "https://hooks.example.com/team-b/done",
            "https://hooks.example.com/team-a/../team-b/done",
            "https://hooks.example.com.attacker.net/team-a/",
            "https://attacker.net/https://hooks.example.com/team-a/")) {
      assertThat(code(check.refusal(topic, job("team-a", outside))))
          .as(outside)
          .contains(ErrorCodes.CALLBACK_NOT_ALLOWED);
    }
    assertThat(check.refusal(SHARED, job("other", "https://anywhere.example.com/x"))).isEmpty();
  }
}
