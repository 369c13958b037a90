package warm.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import warm.core.WarmException;

/**
 * Loads and validates the JSON configuration. Unknown keys are rejected and every error names the field, so a
 * typo in {@code /etc/cc-ci-warm/config.json} is one clear line, never a silently ignored setting.
 */
public final class ConfigLoader {
  /** Where the NixOS module writes the configuration. */
  public static final Path DEFAULT_PATH = Path.of("/etc/cc-ci-warm/config.json");
  /** Environment variable naming the configuration file. */
  public static final String ENV = "WARM_CONFIG";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      // A key given twice would otherwise silently keep the last value.
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private ConfigLoader() {}

  /**
   * Resolves and loads the configuration: {@code explicit} (from {@code --config}) first, then {@code WARM_CONFIG},
   * then the default path; an absent default file means the embedded default. An explicitly named file that does
   * not exist is an error.
   */
  public static WarmConfig load(Path explicit, Map<String, String> env) {
    if (explicit != null) {
      return loadFile(explicit);
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return loadFile(Path.of(fromEnv));
    }
    if (Files.exists(DEFAULT_PATH)) {
      return loadFile(DEFAULT_PATH);
    }
    return ConfigValidator.validate(WarmConfig.defaults());
  }

  /** Loads one file; any problem is a usage error naming the file and the field. */
  public static WarmConfig loadFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw WarmException.usage("config " + file + ": file does not exist");
    } catch (IOException e) {
      throw WarmException.usage("config " + file + ": cannot read: " + e.getMessage());
    }
    if (text.isBlank()) {
      // Jackson would say "No content to map due to end-of-input", which names neither the file nor the cause.
      throw WarmException.usage("the configuration file " + file + " is empty (expected a JSON object; "
          + "'{}' means all defaults)");
    }
    return parse(text, file.toString());
  }

  /** Parses and validates configuration text; {@code source} names it in errors. */
  public static WarmConfig parse(String json, String source) {
    if (json.isBlank()) {
      throw WarmException.usage("config " + source + ": the document is empty (expected a JSON object)");
    }
    WarmConfig config;
    try {
      config = MAPPER.readValue(json, WarmConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw WarmException.usage("config " + source + ": unknown key '" + e.getPropertyName() + "' at "
          + path(e) + " (known: " + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
              .collect(Collectors.joining(", ")) + ")");
    } catch (JsonMappingException e) {
      throw WarmException.usage("config " + source + ": bad value at " + path(e) + ": " + oneLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw WarmException.usage("config " + source + ": malformed JSON at line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + oneLine(e.getOriginalMessage()));
    }
    if (config == null) {
      throw WarmException.usage("config " + source + ": empty document (expected a JSON object)");
    }
    try {
      return ConfigValidator.validate(config);
    } catch (WarmException e) {
      throw WarmException.usage("config " + source + ": " + e.getMessage());
    }
  }

  /**
   * The configuration as indented JSON, every default filled in, paths as plain strings (Jackson's default would
   * print {@code file:///} URIs), so the output of {@code warm config check} is itself a valid configuration.
   */
  public static String toJson(WarmConfig config) {
    try {
      return WRITER.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("configuration cannot be written as JSON", e);
    }
  }

  /**
   * {@link #toJson} with the defaults that are derived rather than fixed filled in as the commands derive them, so an
   * operator sees what will be used instead of {@code null}: each recipe's canonical domain (from
   * {@code domains.canonical}), {@code abra.abraDir} (from {@code env}'s {@code ABRA_DIR}, else the user's home) and
   * the Swarm platform's {@code recipesDir} and {@code appsDir} (under the state root). Fed back in, it loads to the
   * same values and prints the same text. A {@code null} left is a setting that is off or absent ("none").
   */
  public static String toEffectiveJson(WarmConfig config, Map<String, String> env) {
    ObjectNode tree = WRITER.valueToTree(config);
    for (JsonNode r : tree.get("recipes")) {
      if (r.path("domain").isNull()) {
        ((ObjectNode) r).put("domain", config.canonicalDomain(r.path("name").asText()));
      }
    }
    ((ObjectNode) tree.get("abra")).put("abraDir", config.abra().abraDirFor(env.get("ABRA_DIR")).toString());
    ObjectNode swarm = (ObjectNode) tree.get("swarm");
    swarm.put("recipesDir", config.swarm().recipesDirUnder(config.stateRoot()).toString());
    swarm.put("appsDir", config.swarm().appsDirUnder(config.stateRoot()).toString());
    try {
      return WRITER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("configuration cannot be written as JSON", e);
    }
  }

  private static final ObjectMapper WRITER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .registerModule(new SimpleModule("warm-paths")
          .addSerializer(Path.class, new ToStringSerializer(Path.class)));

  /** Jackson's messages may span lines (source excerpts); an error must stay one line. */
  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        b.append('[').append(ref.getIndex()).append(']');
      }
    }
    return b.length() == 0 ? "(top level)" : b.toString();
  }
}
