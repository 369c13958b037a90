package warm.core.sso;

import warm.core.ExitCode;
import warm.core.WarmException;

/**
 * Keycloak could not do what was asked: unreachable, rejected the admin credentials, or answered an admin call
 * with an unexpected status. Always an infrastructure failure (exit 4). The message names Keycloak and its URL and
 * never carries a password, token or client secret (DESIGN I10).
 */
public class KeycloakException extends WarmException {
  private static final long serialVersionUID = 1L;
  /** The HTTP status, -1 for none. */
  private final int status;

  KeycloakException(String message, int status, Throwable cause) {
    super(ExitCode.INFRA, message, cause);
    this.status = status;
  }

  /**
   * The HTTP status of Keycloak's answer.
   *
   * @return the status, or -1 when Keycloak did not answer at all
   */
  public int status() {
    return status;
  }
}
