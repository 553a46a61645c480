package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TenantTopicsTest {
  private final TenantTopics topics = TenantTopics.defaults();

  @Test
  void namesEveryTopicOfATenantUnderItsPrefix() {
    assertThat(topics.prefix("team-a")).isEqualTo("imagefleet.tenant.team-a.");
    assertThat(topics.jobs("team-a")).isEqualTo("imagefleet.tenant.team-a.jobs.v1");
    assertThat(topics.events("team-a")).isEqualTo("imagefleet.tenant.team-a.job-events.v1");
    assertThat(topics.callbacks("team-a")).isEqualTo("imagefleet.tenant.team-a.callbacks.v1");
    assertThat(topics.control("team-a")).isEqualTo("imagefleet.tenant.team-a.job-control.v1");
  }

  @Test
  void findsTheTenantOfItsJobsTopicOnly() {
    assertThat(topics.tenantOfJobs("imagefleet.tenant.team-a.jobs.v1")).contains("team-a");
    assertThat(topics.tenantOfJobs("imagefleet.tenant.team-a.job-events.v1")).isEmpty();
    assertThat(topics.tenantOfJobs(Topics.JOBS)).isEmpty();
    assertThat(topics.tenantOfJobs(Topics.DEAD_LETTERS)).isEmpty();
    assertThat(topics.tenantOfJobs("imagefleet.tenant.team_a.jobs.v1")).isEmpty();
    assertThat(topics.tenantOfJobs("imagefleet.tenant.a.b.jobs.v1")).isEmpty();
  }

  @Test
  void neverPutsOneTenantsTopicsUnderAnothersPrefix() {
    assertThat(topics.jobs("team-ab")).doesNotStartWith(topics.prefix("team-a"));
  }

  @Test
  void refusesAPrefixThatDoesNotEndInADot() {
    assertThatThrownBy(() -> new TenantTopics("imagefleet.tenant"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mapsEnvironmentSpellingsOneToOne() {
    assertThat(TenantName.fromEnvironment("TEAM_A")).isEqualTo("team-a");
    assertThat(TenantName.isCanonical("team-a")).isTrue();
    assertThat(TenantName.isCanonical("team_a")).isFalse();
    assertThat(TenantName.isCanonical("Team-a")).isFalse();
  }
}
