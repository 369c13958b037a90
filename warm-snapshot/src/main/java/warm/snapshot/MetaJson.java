package warm.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a snapshot's {@code meta.json} with jackson-core's streaming generator: exactly the bytes databind writes
 * for the same {@link SnapshotMeta} (MetaJsonTest), so every reader, old or new, reads it alike. Why not databind: a
 * snapshot command never reads JSON, and building an ObjectMapper (its date format loads the JDK's locale data) plus
 * its first introspection of these records were ~80 ms of the command's fixed cost, a fifth of a 4-file snapshot
 * (issue 15). Field order is the records' component order, as databind writes them; {@link ManifestEntry} leaves
 * out null fields ({@code @JsonInclude(NON_NULL)}), the other records write nulls.
 *
 * <p>Reads it back with the streaming parser too, giving what databind's reading (unknown fields ignored) gives for
 * every file databind could read: fields in any order, unknown ones skipped, a missing or null field null (0 for a
 * number), the last of a repeated field. A restore reads the manifest of every object; the ObjectMapper, its
 * introspection and its per-entry record construction were a third of a 20k-file restore's main thread (issue 15).
 * What databind would only have coerced (a number as a string or a float, an enum by its index, a number as a
 * string value) is refused: no writer of meta.json ever wrote it.
 */
final class MetaJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private MetaJson() {}

  static byte[] write(SnapshotMeta meta) throws IOException {
    return write(meta, volumes(meta.volumes()));
  }

  /**
   * The JSON value of {@code meta}'s {@code volumes} field (manifests included: nearly all of the file), apart from
   * the rest so that a snapshot can encode it while its data is flushed, before it knows {@code storeBytes}.
   */
  static byte[] volumes(Map<String, VolumeMeta> volumes) throws IOException {
    // Sized for the usual ~105 bytes of JSON per entry: grown by doubling from 4 KiB, a 20k-entry manifest (2.1 MB)
    // copied ~8 MB of arrays on the snapshot's serial tail (issue 15, row 1, fourteenth round).
    long entries = 0;
    if (volumes != null) {
      for (VolumeMeta v : volumes.values()) {
        entries += v.manifest() == null ? 0 : v.manifest().size();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(1 << 28, 4096 + entries * 128));
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      if (volumes == null) {
        g.writeNull();
      } else {
        g.writeStartObject();
        for (Map.Entry<String, VolumeMeta> v : volumes.entrySet()) {
          g.writeFieldName(v.getKey());
          volume(g, v.getValue());
        }
        g.writeEndObject();
      }
    }
    return out.toByteArray();
  }

  /**
   * meta.json of {@code meta} whose {@code volumes} field is {@code volumesJson} ({@link #volumes} of
   * {@code meta.volumes()}): the same bytes as encoding it whole.
   */
  static byte[] write(SnapshotMeta meta, byte[] volumesJson) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(volumesJson.length + 512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format", meta.format());
      g.writeStringField("id", meta.id());
      g.writeStringField("createdAt", meta.createdAt());
      g.writeStringField("method", meta.method() == null ? null : meta.method().label());
      g.writeFieldName("tag");
      if (meta.tag() == null) {
        g.writeNull();
      } else {
        g.writeStartObject();
        g.writeStringField("commit", meta.tag().commit());
        g.writeStringField("version", meta.tag().version());
        g.writeEndObject();
      }
      g.writeNumberField("storeBytes", meta.storeBytes());
      g.writeFieldName("volumes");
      // The value's bytes go straight to the stream, after what the generator holds: an empty raw value tells the
      // generator a value was written (its separators stay right), then its buffer is flushed before them.
      g.writeRawValue("");
      g.flush();
      out.write(volumesJson);
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void volume(JsonGenerator g, VolumeMeta v) throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeStringField("name", v.name());
    g.writeNumberField("logicalBytes", v.logicalBytes());
    g.writeNumberField("allocatedBytes", v.allocatedBytes());
    g.writeNumberField("entries", v.entries());
    g.writeFieldName("manifest");
    List<ManifestEntry> manifest = v.manifest();
    if (manifest == null) {
      g.writeNull();
    } else {
      g.writeStartArray();
      for (ManifestEntry e : manifest) {
        entry(g, e);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void entry(JsonGenerator g, ManifestEntry e) throws IOException {
    if (e == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    optional(g, "path", e.path());
    optional(g, "type", e.type() == null ? null : e.type().name());
    g.writeNumberField("mode", e.mode());
    g.writeNumberField("uid", e.uid());
    g.writeNumberField("gid", e.gid());
    g.writeNumberField("size", e.size());
    g.writeNumberField("mtimeNanos", e.mtimeNanos());
    optional(g, "linkTarget", e.linkTarget());
    optional(g, "hardLinkOf", e.hardLinkOf());
    if (e.rdev() != null) {
      g.writeNumberField("rdev", e.rdev().longValue());
    }
    if (e.xattrs() != null) {
      g.writeFieldName("xattrs");
      g.writeStartObject();
      for (Map.Entry<String, String> x : e.xattrs().entrySet()) {
        g.writeStringField(x.getKey(), x.getValue());
      }
      g.writeEndObject();
    }
    optional(g, "sha256", e.sha256());
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  /**
   * The {@link SnapshotMeta} of a meta.json; a malformed one is an {@link IOException} saying where. A file laid out
   * as {@link #write} writes it is read by {@link CompactMetaReader} (a restore's serial start, issue 15); any other
   * by jackson-core's parser, which also says what is wrong with a malformed one.
   */
  static SnapshotMeta read(byte[] json) throws IOException {
    SnapshotMeta compact = CompactMetaReader.read(json);
    return compact != null ? compact : parse(json);
  }

  /** {@link #read} by jackson-core's streaming parser, whatever the layout. */
  static SnapshotMeta parse(byte[] json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new JsonParseException(p, "meta.json: not a JSON object");
      }
      int format = 0;
      String id = null;
      String createdAt = null;
      Method method = null;
      SnapshotTag tag = null;
      long storeBytes = 0;
      Map<String, VolumeMeta> volumes = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "format" -> format = intValue(p, t);
          case "id" -> id = text(p, t);
          case "createdAt" -> createdAt = text(p, t);
          case "method" -> method = method(p, t);
          case "tag" -> tag = tag(p, t);
          case "storeBytes" -> storeBytes = longValue(p, t);
          case "volumes" -> volumes = namedValues(p, t, MetaJson::volume);
          default -> p.skipChildren();
        }
      }
      return new SnapshotMeta(format, id, createdAt, method, tag, storeBytes, volumes);
    }
  }

  private static SnapshotTag tag(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    String commit = null;
    String version = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "commit" -> commit = text(p, v);
        case "version" -> version = text(p, v);
        default -> p.skipChildren();
      }
    }
    return new SnapshotTag(commit, version);
  }

  /** Reads one JSON value, whose first token the caller has taken. */
  private interface ValueReader<T> {
    T read(JsonParser p, JsonToken first) throws IOException;
  }

  /** An object of named values (the volumes, an entry's xattrs), in the file's order; null for JSON null. */
  private static <T> Map<String, T> namedValues(JsonParser p, JsonToken t, ValueReader<T> value) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    Map<String, T> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      out.put(name, value.read(p, p.nextToken()));
    }
    return out;
  }

  private static VolumeMeta volume(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    String name = null;
    long logical = 0;
    long allocated = 0;
    int entries = 0;
    List<ManifestEntry> manifest = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "name" -> name = text(p, v);
        case "logicalBytes" -> logical = longValue(p, v);
        case "allocatedBytes" -> allocated = longValue(p, v);
        case "entries" -> entries = intValue(p, v);
        case "manifest" -> manifest = manifest(p, v);
        default -> p.skipChildren();
      }
    }
    return new VolumeMeta(name, logical, allocated, entries, manifest);
  }

  private static List<ManifestEntry> manifest(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_ARRAY);
    List<ManifestEntry> out = new ArrayList<>();
    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
      out.add(entry(p, e));
    }
    return out;
  }

  private static ManifestEntry entry(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    String path = null;
    ManifestEntry.Type type = null;
    int mode = 0;
    int uid = 0;
    int gid = 0;
    long size = 0;
    long mtime = 0;
    String linkTarget = null;
    String hardLinkOf = null;
    Long rdev = null;
    Map<String, String> xattrs = null;
    String sha256 = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "path" -> path = text(p, v);
        case "type" -> type = type(p, v);
        case "mode" -> mode = intValue(p, v);
        case "uid" -> uid = intValue(p, v);
        case "gid" -> gid = intValue(p, v);
        case "size" -> size = longValue(p, v);
        case "mtimeNanos" -> mtime = longValue(p, v);
        case "linkTarget" -> linkTarget = text(p, v);
        case "hardLinkOf" -> hardLinkOf = text(p, v);
        case "rdev" -> rdev = v == JsonToken.VALUE_NULL ? null : longValue(p, v);
        case "xattrs" -> xattrs = namedValues(p, v, MetaJson::text);
        case "sha256" -> sha256 = text(p, v);
        default -> p.skipChildren();
      }
    }
    return new ManifestEntry(path, type, mode, uid, gid, size, mtime, linkTarget, hardLinkOf, rdev, xattrs, sha256);
  }

  private static Method method(JsonParser p, JsonToken t) throws IOException {
    String label = text(p, t);
    if (label == null) {
      return null;
    }
    for (Method m : Method.values()) {
      if (m.label().equals(label)) {
        return m;
      }
    }
    throw new JsonParseException(p, "meta.json: unknown method \"" + label + "\"");
  }

  private static ManifestEntry.Type type(JsonParser p, JsonToken t) throws IOException {
    String name = text(p, t);
    if (name == null) {
      return null;
    }
    for (ManifestEntry.Type type : ManifestEntry.Type.values()) {
      if (type.name().equals(name)) {
        return type;
      }
    }
    throw new JsonParseException(p, "meta.json: unknown entry type \"" + name + "\"");
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.VALUE_STRING);
    return p.getText();
  }

  /** An int field: null reads as 0, as databind reads it into a primitive; out of range is refused. */
  private static int intValue(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    expect(p, t, JsonToken.VALUE_NUMBER_INT);
    return p.getIntValue();
  }

  private static long longValue(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    expect(p, t, JsonToken.VALUE_NUMBER_INT);
    return p.getLongValue();
  }

  private static void expect(JsonParser p, JsonToken got, JsonToken wanted) throws IOException {
    if (got != wanted) {
      throw new JsonParseException(p, "meta.json: expected " + wanted + " at \"" + p.currentName() + "\", found "
          + got);
    }
  }
}
