package warm.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One alert delivery channel.
 *
 * @param type {@code command} (the alert JSON on stdin) or {@code webhook} (HTTP POST)
 * @param command argv of the command channel
 * @param url webhook URL
 * @param format webhook body: {@code json} (the alert document) or {@code ntfy} (plain text, title in a header)
 * @param headers extra HTTP headers (e.g. an auth token for ntfy)
 * @param timeoutSeconds bound on one delivery attempt
 * @param urlFile file holding the webhook URL, read when the channel is built (instead of {@code url}: a token in
 *     a URL stays out of the configuration, which the NixOS module puts in the world-readable store)
 * @param headersFile file of {@code Name: value} lines, extra HTTP headers read when the channel is built
 */
public record NotifyChannel(String type, List<String> command, String url, String format,
    Map<String, String> headers, Integer timeoutSeconds, Path urlFile, Path headersFile) {
  public NotifyChannel {
    command = command == null ? List.of() : List.copyOf(command);
    format = format == null ? "json" : format;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    timeoutSeconds = timeoutSeconds == null ? 20 : timeoutSeconds;
  }

  public static NotifyChannel command(List<String> argv) {
    return new NotifyChannel("command", argv, null, null, null, null, null, null);
  }

  public static NotifyChannel webhook(String url, String format) {
    return new NotifyChannel("webhook", null, url, format, null, null, null, null);
  }
}
