package warm.core.alert;

import java.time.Duration;
import warm.core.WarmException;
import warm.core.config.NotifyChannel;

/**
 * A webhook whose URL or headers live in files ({@code urlFile}, {@code headersFile}): the files are read at each
 * delivery, so a rotated token is picked up and a missing file is a failed delivery (the alert stays in the outbox
 * and is retried), not a failure of every command that builds the channels.
 */
final class FileWebhookChannel implements AlertChannel {
  private final NotifyChannel config;

  FileWebhookChannel(NotifyChannel config) {
    this.config = config;
  }

  @Override
  public String id() {
    // Where it delivers, named by the file (the URL in it is the secret and may rotate).
    return AlertChannel.idOf("webhook", config.format() + " "
        + (config.urlFile() != null ? "file:" + config.urlFile() : config.url()));
  }

  @Override
  public String describe() {
    return "webhook " + (config.urlFile() != null ? "(url from " + config.urlFile() + ")" : "(headers from "
        + config.headersFile() + ")");
  }

  @Override
  public void deliver(Alert alert) {
    WebhookChannel real;
    try {
      real = new WebhookChannel(config.urlFile() != null ? SecretFiles.url(config.urlFile()) : config.url(),
          WebhookChannel.Format.parse(config.format()), SecretFiles.headers(config.headers(), config.headersFile()),
          Duration.ofSeconds(config.timeoutSeconds()));
    } catch (WarmException e) {
      throw new AlertDeliveryException(describe() + ": " + e.getMessage());
    }
    real.deliver(alert);
  }

  @Override
  public String toString() {
    return describe();
  }
}
