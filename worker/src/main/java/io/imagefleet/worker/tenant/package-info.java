/**
 * Tenants as Kafka authenticates them: a job read from a tenant's own jobs topic belongs to that
 * tenant ({@link io.imagefleet.worker.tenant.TenantCheck}), and what the fleet writes about it can
 * also go to that tenant's own topics ({@link io.imagefleet.worker.tenant.TenantDirectory}), so
 * that ACLs give each team its own jobs and results only.
 */
package io.imagefleet.worker.tenant;
