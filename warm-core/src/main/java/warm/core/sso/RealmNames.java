package warm.core.sso;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import warm.core.WarmException;
import warm.core.naming.Naming;

/**
 * Names of per-run realms: {@code ccw-<recipe>-<run id>}. The run id makes concurrent runs of one recipe distinct
 * (pitfalls: realms named after the recipe alone collide); the charset is lowercase ASCII letters, digits, {@code -}
 * and {@code _}, safe in URLs and far below Keycloak's ~241-character limit (at most 101 characters).
 */
public final class RealmNames {
  /** Prefix of every realm cc-ci-warm creates; ownership is decided by the stamp, the prefix helps humans. */
  public static final String PREFIX = "ccw-";
  /** Longest accepted run id. */
  public static final int RUN_ID_MAX = 32;

  private static final Pattern RUN_ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0," + (RUN_ID_MAX - 2) + "}[a-z0-9])?");
  private static final Pattern REALM = Pattern.compile("[a-z0-9_-]{1,120}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RealmNames() {}

  /**
   * The realm of one run of a recipe; both parts are validated (usage error, exit 2).
   *
   * @param recipe the parent recipe
   * @param runId the run's id
   * @return {@code ccw-<recipe>-<run id>}
   */
  public static String realmName(String recipe, String runId) {
    Naming.requireRecipeName(recipe);
    requireRunId(runId);
    return PREFIX + recipe + "-" + runId;
  }

  /**
   * Accepts a run id: 1-32 lowercase letters, digits and inner {@code -}.
   *
   * @param runId the run id to check
   * @return the run id
   */
  public static String requireRunId(String runId) {
    if (runId == null || runId.isEmpty()) {
      throw WarmException.usage("run id is empty");
    }
    if (!RUN_ID.matcher(runId).matches()) {
      throw WarmException.usage("invalid run id '" + AdminSession.printable(runId) + "': use 1-" + RUN_ID_MAX
          + " lowercase letters, digits and inner '-'");
    }
    return runId;
  }

  /**
   * Accepts a realm name given on the command line for deletion: it must look like a name cc-ci-warm could have
   * made (anything else cannot be ours, and the check keeps odd characters out of the admin URL).
   *
   * @param realm the name to check
   * @return the name
   */
  public static String requireDeletableName(String realm) {
    if (realm == null || !REALM.matcher(realm).matches()) {
      throw WarmException.usage("invalid realm name '" + (realm == null ? "" : AdminSession.printable(realm))
          + "': cc-ci-warm realms are lowercase letters, digits, '-' and '_'");
    }
    return realm;
  }

  /**
   * A fresh random run id for callers that have none.
   *
   * @return 8 random lowercase hex characters
   */
  public static String randomRunId() {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
