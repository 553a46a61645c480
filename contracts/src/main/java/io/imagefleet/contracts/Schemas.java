package io.imagefleet.contracts;

import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Where the JSON Schemas (draft 2020-12) and example messages live on the classpath. They ship in
 * this jar so that teams in any language read the same contract that the Java records implement; a
 * test keeps the two in agreement.
 */
public final class Schemas {
  /** Schema of a job request, version 1. */
  public static final String JOB_REQUEST_V1 = "/schemas/job-request.v1.schema.json";

  /** Schema of a status event, version 1. */
  public static final String STATUS_EVENT_V1 = "/schemas/status-event.v1.schema.json";

  /** Schema of a callback delivery outcome, version 1. */
  public static final String CALLBACK_DELIVERY_V1 = "/schemas/callback-delivery.v1.schema.json";

  /** Schema of a cancel request (job-control topic), version 1. */
  public static final String CANCEL_REQUEST_V1 = "/schemas/cancel-request.v1.schema.json";

  /** An example cancel request. */
  public static final String EXAMPLE_CANCEL_REQUEST = "/schemas/examples/cancel-request.json";

  /** An example job request. */
  public static final String EXAMPLE_JOB_REQUEST = "/schemas/examples/job-request.json";

  /** An example SUCCEEDED event. */
  public static final String EXAMPLE_EVENT_SUCCEEDED =
      "/schemas/examples/status-event-succeeded.json";

  /** An example FAILED event for an invalid job. */
  public static final String EXAMPLE_EVENT_FAILED_INVALID =
      "/schemas/examples/status-event-failed-invalid.json";

  private Schemas() {}

  /**
   * Opens one of the resources named above (or any other classpath resource); the caller closes it.
   *
   * @throws UncheckedIOException if there is no such resource
   */
  public static InputStream open(String resource) {
    InputStream in = Schemas.class.getResourceAsStream(resource);
    if (in == null) {
      throw new UncheckedIOException(
          new FileNotFoundException("no classpath resource " + resource));
    }
    return in;
  }
}
