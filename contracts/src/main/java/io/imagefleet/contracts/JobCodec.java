package io.imagefleet.contracts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes to messages and back, for the jobs and events topics, with {@link Json#mapper()}.
 *
 * <p>Decoding draws the line the dead-letter topic needs: a record that is not JSON, not a JSON
 * object, or has a field of the wrong JSON type ({@code "n": "abc"}) cannot be answered and throws
 * {@link UndecodableJobException}; a record that reads fine but breaks a rule ({@code "n": 50})
 * decodes, and {@link JobValidator} reports it so the producer gets a FAILED event. Unknown fields
 * are ignored.
 *
 * <p>Messages are UTF-8, as the schemas say, and are read as nothing else: Jackson on its own
 * guesses UTF-16 and UTF-32 from the first bytes and reads overlong UTF-8 forms as the characters
 * they spell, so a record that another reader sees as garbage would run here. A UTF-8 byte order
 * mark is skipped.
 */
public final class JobCodec {
  private static final int MAX_DETAIL_CHARS = 200;

  private JobCodec() {}

  /** Reads a job request; absent optional fields take their defaults. */
  public static JobRequest decode(byte[] json) {
    return read(json, JobRequest.class, "job request");
  }

  /** Writes a job request as UTF-8 JSON. */
  public static byte[] encode(JobRequest job) {
    return write(job);
  }

  /** Reads a status event. */
  public static StatusEvent decodeEvent(byte[] json) {
    return read(json, StatusEvent.class, "status event");
  }

  /** Writes a status event as UTF-8 JSON. */
  public static byte[] encodeEvent(StatusEvent event) {
    return write(event);
  }

  /**
   * Reads a cancel request; throws {@link UndecodableJobException} when it is not one. Check the
   * result with {@link CancelRequest#invalidReason()} before applying it.
   */
  public static CancelRequest decodeCancel(byte[] json) {
    return read(json, CancelRequest.class, "cancel request");
  }

  /** Writes a cancel request as UTF-8 JSON. */
  public static byte[] encodeCancel(CancelRequest request) {
    return write(request);
  }

  private static <T> T read(byte[] json, Class<T> type, String what) {
    if (json == null || json.length == 0) {
      throw new UndecodableJobException(what + " is empty");
    }
    CharBuffer text = utf8(json, what);
    requireObject(text, what);
    ObjectReader reader =
        Json.mapper().readerFor(type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    try {
      return reader.readValue(new CharArrayReader(text.array(), text.position(), text.remaining()));
    } catch (StreamReadException e) {
      throw new UndecodableJobException(what + " is not valid JSON: " + detail(e), e);
    } catch (ValueInstantiationException e) {
      throw new UndecodableJobException(what + " is incomplete: " + instantiationDetail(e), e);
    } catch (JsonMappingException e) {
      throw new UndecodableJobException(what + " has " + mappingDetail(e), e);
    } catch (IOException e) {
      throw new UndecodableJobException(what + " cannot be read: " + detail(e), e);
    }
  }

  /**
   * The text of {@code json}, which must be UTF-8 throughout; without a leading byte order mark.
   */
  private static CharBuffer utf8(byte[] json, String what) {
    ByteBuffer in = ByteBuffer.wrap(json);
    CharBuffer text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(in);
    } catch (CharacterCodingException e) {
      throw new UndecodableJobException(
          what + " is not UTF-8: malformed byte sequence at byte " + in.position(), e);
    }
    if (text.hasRemaining() && text.get(text.position()) == '\uFEFF') {
      text.position(text.position() + 1);
    }
    return text;
  }

  /**
   * Reads the tokens once without binding, so that syntax errors, a root that is not an object and
   * content after the object are told apart from type errors in fields.
   */
  private static void requireObject(CharBuffer json, String what) {
    try (JsonParser parser =
        Json.mapper().createParser(json.array(), json.position(), json.remaining())) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new UndecodableJobException(what + " is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new UndecodableJobException(what + " is not a JSON object but " + describe(first));
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw new UndecodableJobException(
            what
                + " is not valid JSON: more content after the object "
                + "(line "
                + parser.currentLocation().getLineNr()
                + ", column "
                + parser.currentLocation().getColumnNr()
                + ")");
      }
    } catch (IOException e) {
      throw new UndecodableJobException(what + " is not valid JSON: " + detail(e), e);
    }
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  private static String mappingDetail(JsonMappingException e) {
    String field = path(e);
    if (field.isEmpty()) {
      return "an unreadable value: " + detail(e);
    }
    if (e instanceof InvalidFormatException bad
        && bad.getValue() instanceof String
        && bad.getTargetType() != null) {
      Class<?> target = bad.getTargetType();
      if (target.isEnum()) {
        return "an invalid value for field "
            + field
            + ": expected one of "
            + Arrays.toString(target.getEnumConstants());
      }
      if (Temporal.class.isAssignableFrom(target)) {
        return "an invalid value for field "
            + field
            + ": expected an ISO-8601 date-time such as 2025-01-31T12:00:00Z";
      }
    }
    if (e instanceof MismatchedInputException mismatch) {
      return "a wrong type for field " + field + ": expected " + expected(mismatch.getTargetType());
    }
    return "an invalid value for field " + field + ": " + detail(e);
  }

  private static String instantiationDetail(ValueInstantiationException e) {
    Throwable cause = e.getCause();
    if (cause instanceof NullPointerException && cause.getMessage() != null) {
      return "required field " + snakeCase(cause.getMessage()) + " is missing";
    }
    if (cause instanceof NullPointerException) {
      return "a list or map contains null";
    }
    return detail(cause == null ? e : cause);
  }

  /**
   * The JSON path of the failing value, e.g. {@code reference_image_urls[2]} or {@code
   * metadata.team}.
   */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() > MAX_DETAIL_CHARS
        ? path.substring(0, MAX_DETAIL_CHARS) + "..."
        : path.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another JSON type";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (Temporal.class.isAssignableFrom(type)) {
      return "an ISO-8601 date-time string";
    }
    return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : type.getSimpleName();
  }

  private static String snakeCase(String javaName) {
    return javaName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** Jackson's message without its source excerpt and reference chain, cut short. */
  private static String detail(Throwable e) {
    String message =
        e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
      message +=
          " (line "
              + jpe.getLocation().getLineNr()
              + ", column "
              + jpe.getLocation().getColumnNr()
              + ")";
    }
    message = message.replaceAll("\\s+", " ");
    return message.length() > MAX_DETAIL_CHARS
        ? message.substring(0, MAX_DETAIL_CHARS) + "..."
        : message;
  }

  private static byte[] write(Object message) {
    try {
      return Json.mapper().writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }
}
