package io.imagefleet.sandbox.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body as JSON, at most {@value #MAX_BYTES} bytes; anything else is a 400. */
final class JsonBodies {

  static final int MAX_BYTES = 1024 * 1024;

  private JsonBodies() {}

  static JsonNode read(HttpExchange exchange, ObjectMapper mapper) {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new RejectedRequestException(
          ApiError.invalidRequest(null, "The request body could not be read."));
    }
    if (bytes.length > MAX_BYTES) {
      throw new RejectedRequestException(
          ApiError.invalidRequest(null, "The request body exceeds " + MAX_BYTES + " bytes."));
    }
    if (bytes.length == 0) {
      throw new RejectedRequestException(
          ApiError.invalidRequest(null, "The request body is empty."));
    }
    try {
      return mapper.readTree(bytes);
    } catch (IOException e) {
      throw new RejectedRequestException(
          ApiError.invalidRequest(null, "The request body is not valid JSON."));
    }
  }
}
