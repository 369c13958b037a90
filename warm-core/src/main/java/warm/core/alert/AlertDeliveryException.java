package warm.core.alert;

import warm.core.ExitCode;
import warm.core.WarmException;

/** A channel did not confirm delivery of an alert; the alert stays in the outbox for the next run. */
public class AlertDeliveryException extends WarmException {
  private static final long serialVersionUID = 1L;

  /** A failure with its one-line reason (no secrets: the channel's description, never its URL path). */
  public AlertDeliveryException(String message) {
    super(ExitCode.INFRA, message);
  }

  /** A failure with its reason and the underlying cause. */
  public AlertDeliveryException(String message, Throwable cause) {
    super(ExitCode.INFRA, message, cause);
  }
}
