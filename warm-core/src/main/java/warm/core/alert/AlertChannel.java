package warm.core.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import warm.core.WarmException;
import warm.core.config.NotifyChannel;
import warm.core.config.WarmConfig;
import warm.core.process.ProcessRunner;

/** Somewhere alerts go: a command reading the JSON on stdin, or an HTTP webhook. */
public interface AlertChannel {
  /**
   * A stable identity derived from where the channel delivers (not from its credentials), recorded per alert so
   * a retry never resends to a channel that already has it. Contains no secret (a hash of the destination).
   */
  String id();

  /** A short description for logs and reports, without secrets (no URL path or query, no headers). */
  String describe();

  /**
   * Delivers one alert, bounded by the channel's timeout.
   *
   * @throws AlertDeliveryException when the channel did not confirm delivery
   */
  void deliver(Alert alert);

  /**
   * The channel a configuration entry describes.
   *
   * @throws WarmException (usage) for an entry the config validator would reject
   */
  static AlertChannel from(NotifyChannel c, ProcessRunner runner) {
    return switch (c.type() == null ? "" : c.type()) {
      case "command" -> new CommandChannel(c.command(), Duration.ofSeconds(c.timeoutSeconds()), runner);
      case "webhook" -> c.urlFile() == null && c.headersFile() == null
          ? new WebhookChannel(c.url(), WebhookChannel.Format.parse(c.format()), c.headers(),
              Duration.ofSeconds(c.timeoutSeconds()))
          : new FileWebhookChannel(c);
      default -> throw WarmException.usage("notify channel type must be 'command' or 'webhook', got '"
          + c.type() + "'");
    };
  }

  /** Every channel the configuration lists ({@code notify}), in order. */
  static List<AlertChannel> fromConfig(WarmConfig config, ProcessRunner runner) {
    return config.channels().stream().map(c -> from(c, runner)).toList();
  }

  /** {@code <type>:<first 16 hex of sha256(destination)>}. */
  static String idOf(String type, String destination) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(destination.getBytes(StandardCharsets.UTF_8));
      return type + ":" + HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
