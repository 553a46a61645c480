/**
 * Cancel requests: every worker reads the control topics (the shared one and each tenant's own)
 * whole, outside any consumer group, keeps a bounded index of the cancels it has read, and tells
 * the running jobs a cancel covers at once.
 */
package io.imagefleet.worker.control;
