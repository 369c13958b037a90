package warm.core.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;
import warm.core.naming.Naming;
import warm.core.state.StateJson;

/**
 * One alert, serialised as one JSON document (DESIGN §6): what happened, to which app, the versions involved,
 * whether it recovered, and an excerpt of the release notes that explain a hold. Text is capped
 * ({@link #MAX_TEXT} characters) so hostile or huge release notes cannot bloat it (I9). Callers supply the text
 * and never put secrets in it (I10).
 *
 * @param id unique, sortable by time: {@code <UTC timestamp>-<kind>-<6 hex>}; also the outbox file name
 * @param createdAt when it was raised
 * @param kind what happened, a short token ({@code upgrade-rolled-back}, {@code upgrade-held}, …)
 * @param app the app concerned, or null for a host-wide alert
 * @param severity how loud
 * @param message one human sentence or paragraph
 * @param attemptedVersion the version that was tried, if any
 * @param lastGoodVersion the version the app is (back) at, if known
 * @param recovered whether the app is healthy again (rolled back), null when not applicable
 * @param notesExcerpt the release-note text behind a hold, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
    String id,
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant createdAt,
    String kind,
    String app,
    Severity severity,
    String message,
    String attemptedVersion,
    String lastGoodVersion,
    Boolean recovered,
    String notesExcerpt) {

  /** Longest message or notes excerpt kept, in characters; ntfy turns bodies over 4 KiB into attachments. */
  public static final int MAX_TEXT = 3000;
  private static final Pattern ID = Pattern.compile("\\d{8}T\\d{9}Z-[a-z0-9-]{1,40}-[0-9a-f]{6}");
  private static final Pattern KIND = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** How loud an alert is; ntfy priorities follow it. */
  public enum Severity {
    /** Needs a look, nothing is broken (an upgrade held for a manual step). */
    WARNING,
    /** Something failed and was recovered (an upgrade rolled back). */
    ERROR,
    /** Something failed and was not recovered (rollback or restore failed). */
    CRITICAL;

    @JsonValue
    String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static Severity fromJson(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /** Validates id, kind, severity and message, and caps the text fields. */
  public Alert {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("alert id '" + id + "' is not <yyyyMMdd'T'HHmmssSSS'Z'>-<kind>-<6 hex>");
    }
    if (createdAt == null) {
      throw new IllegalArgumentException("alert 'createdAt' is missing");
    }
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("alert kind '" + kind + "' is not a lowercase token of letters, digits "
          + "and '-' (at most 40)");
    }
    if (severity == null) {
      throw new IllegalArgumentException("alert 'severity' is missing");
    }
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("alert 'message' is missing or empty");
    }
    message = cap(message);
    notesExcerpt = notesExcerpt == null ? null : cap(notesExcerpt);
  }

  /** Starts an alert of that kind about that app (null: host-wide), stamped now with a fresh id. */
  public static Builder builder(String kind, String app) {
    return new Builder(kind, app);
  }

  /** {@code kind app: message} plus the versions, on one line: what the ERROR log line says. */
  public String summary() {
    StringBuilder b = new StringBuilder("ALERT ").append(severity.json()).append(' ').append(kind);
    if (app != null) {
      b.append(" app=").append(app);
    }
    if (attemptedVersion != null) {
      b.append(" attempted=").append(attemptedVersion);
    }
    if (lastGoodVersion != null) {
      b.append(" last-good=").append(lastGoodVersion);
    }
    if (recovered != null) {
      b.append(" recovered=").append(recovered);
    }
    b.append(": ").append(message.replaceAll("\\s*\\R\\s*", " "));
    b.append(" [").append(id).append(']');
    return b.toString();
  }

  private static String cap(String s) {
    if (s.length() <= MAX_TEXT) {
      return s;
    }
    String cut = s.substring(0, MAX_TEXT);
    return cut + "… [" + (s.length() - MAX_TEXT) + " more characters cut]";
  }

  /** Assembles an {@link Alert}; four of its fields are optional. */
  public static final class Builder {
    private final String kind;
    private final String app;
    private Severity severity = Severity.ERROR;
    private String message;
    private String attemptedVersion;
    private String lastGoodVersion;
    private Boolean recovered;
    private String notesExcerpt;
    private Instant createdAt = Instant.now();

    private Builder(String kind, String app) {
      this.kind = kind;
      this.app = app == null ? null : Naming.requireRecipeName(app);
    }

    /** How loud (default {@code error}). */
    public Builder severity(Severity s) {
      this.severity = s;
      return this;
    }

    /** The human sentence or paragraph (required). */
    public Builder message(String m) {
      this.message = m;
      return this;
    }

    /** The version that was tried. */
    public Builder attemptedVersion(String v) {
      this.attemptedVersion = v;
      return this;
    }

    /** The version the app is (back) at. */
    public Builder lastGoodVersion(String v) {
      this.lastGoodVersion = v;
      return this;
    }

    /** Whether the app is healthy again. */
    public Builder recovered(Boolean r) {
      this.recovered = r;
      return this;
    }

    /** The release-note text behind a hold (capped). */
    public Builder notesExcerpt(String n) {
      this.notesExcerpt = n;
      return this;
    }

    /** Overrides the creation time (tests, replays). */
    public Builder createdAt(Instant t) {
      this.createdAt = t;
      return this;
    }

    /** The alert, with a fresh id. */
    public Alert build() {
      String safeKind = kind == null ? "" : kind;
      String id = STAMP.format(createdAt) + "-" + safeKind + "-" + Naming.randomHex();
      return new Alert(id, createdAt, kind, app, severity, message, attemptedVersion, lastGoodVersion, recovered,
          notesExcerpt);
    }
  }
}
