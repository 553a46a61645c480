/**
 * {@code imagefleet bench}: throughput of the worker against the alternatives a team would reach
 * for, measured side by side in one run on the embedded broker and the upstream simulator.
 */
package io.imagefleet.bench;
