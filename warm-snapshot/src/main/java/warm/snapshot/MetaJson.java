package warm.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a snapshot's {@code meta.json} with jackson-core's streaming generator: exactly the bytes databind writes
 * for the same {@link SnapshotMeta} (MetaJsonTest), so every reader, old or new, reads it alike. Why not databind: a
 * snapshot command never reads JSON, and building an ObjectMapper (its date format loads the JDK's locale data) plus
 * its first introspection of these records were ~80 ms of the command's fixed cost, a fifth of a 4-file snapshot
 * (issue 15). Field order is the records' component order, as databind writes them; {@link ManifestEntry} leaves
 * out null fields ({@code @JsonInclude(NON_NULL)}), the other records write nulls.
 */
final class MetaJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private MetaJson() {}

  static byte[] write(SnapshotMeta meta) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
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
      if (meta.volumes() == null) {
        g.writeNull();
      } else {
        g.writeStartObject();
        for (Map.Entry<String, VolumeMeta> v : meta.volumes().entrySet()) {
          g.writeFieldName(v.getKey());
          volume(g, v.getValue());
        }
        g.writeEndObject();
      }
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
}
