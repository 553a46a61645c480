/**
 * {@code imagefleet bench console}: whether the web console keeps up with a busy fleet and stays
 * within its memory. Real job life cycles are published to the events topic of an embedded broker,
 * a console runs in its own JVM (so that its heap is its own), and pages read its event stream as a
 * browser does. Lives in the CLI because the console does; the bench module cannot see it.
 */
package io.imagefleet.cli.consolebench;
