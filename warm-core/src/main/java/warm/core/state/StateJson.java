package warm.core.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import warm.core.WarmException;

/**
 * The JSON dialect of every state and alert file: strict on read (unknown keys, trailing data, missing required
 * fields and nulls for primitives are errors naming the file), pretty on write, instants as ISO-8601 strings.
 */
public final class StateJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private StateJson() {}

  /** The value as UTF-8 JSON bytes (with a trailing newline, so {@code cat} output ends cleanly). */
  public static byte[] bytes(Object value) {
    try {
      byte[] json = MAPPER.writeValueAsBytes(value);
      byte[] out = Arrays.copyOf(json, json.length + 1);
      out[json.length] = '\n';
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Parses a file's bytes.
   *
   * @throws WarmException (infra) naming the file and what is wrong with it; never a silent default
   */
  public static <T> T parse(Path file, byte[] content, Class<T> type) {
    try {
      T value = MAPPER.readValue(content, type);
      if (value == null) {
        throw WarmException.infra(corrupt(file, "it holds JSON null, not a " + type.getSimpleName()));
      }
      return value;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw WarmException.infra(corrupt(file, cause.getMessage()), e);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw WarmException.infra(corrupt(file, firstLine(e.getOriginalMessage()) + where), e);
    } catch (IOException e) {
      throw WarmException.infra("cannot read " + file + ": " + AtomicFiles.describe(e), e);
    }
  }

  /** Reads and parses a file, or empty when it does not exist. */
  public static <T> Optional<T> read(Path file, Class<T> type) {
    return AtomicFiles.readIfExists(file).map(b -> parse(file, b, type));
  }

  /** Writes the value as JSON atomically ({@link AtomicFiles#write}). */
  public static void write(Path file, Object value) {
    AtomicFiles.write(file, bytes(value));
  }

  private static String corrupt(Path file, String why) {
    return "state file " + file + " is unreadable: " + why
        + "; repair or move it aside (it was not changed)";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "malformed JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Writes an {@link Instant} as its ISO-8601 string (no jsr310 module needed, whatever mapper is used). */
  public static final class InstantSerializer extends JsonSerializer<Instant> {
    /** Jackson instantiates it from {@code @JsonSerialize(using = …)}. */
    public InstantSerializer() {}

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(value.toString());
    }
  }

  /** Reads an ISO-8601 instant string; anything else is an error naming the field. */
  public static final class InstantDeserializer extends JsonDeserializer<Instant> {
    /** Jackson instantiates it from {@code @JsonDeserialize(using = …)}. */
    public InstantDeserializer() {}

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      String text = p.getText();
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
      }
    }
  }
}
