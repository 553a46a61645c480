package io.imagefleet.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One generated image, saved before the upstream's link expired.
 *
 * @param index 0-based position among the job's images
 * @param location durable location (a {@code file:} or {@code s3:} URI)
 * @param sourceUrl the upstream's temporary link (expires 24 h after the task was created)
 * @param bytes size of the stored file
 * @param contentType media type, e.g. {@code image/png}
 * @param width pixel width as read from the stored file
 * @param height pixel height as read from the stored file
 * @param sha256 lowercase hex SHA-256 of the stored bytes
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredImage(
    int index,
    String location,
    String sourceUrl,
    long bytes,
    String contentType,
    int width,
    int height,
    String sha256) {}
