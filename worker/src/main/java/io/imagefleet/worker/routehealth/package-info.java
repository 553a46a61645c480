/**
 * What one worker learns about the upstream, shared with the whole fleet over a compacted Kafka
 * topic: each lane's rate and cooldown, a route down, spending stopped; and the fleet's size, from
 * the heartbeat topic, by which each worker takes its part of a shared rate.
 */
package io.imagefleet.worker.routehealth;
