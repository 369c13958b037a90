package warm.nightly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.WarmConfig;
import warm.core.platform.Platforms;
import warm.core.process.ProcessRunner;
import warm.core.sso.DeleteOutcome;
import warm.core.sso.DockerStackLiveness;
import warm.core.sso.KeycloakRealmManager;
import warm.core.sso.RealmNames;
import warm.core.sso.RealmRequest;
import warm.core.sso.ReapPolicy;
import warm.core.sso.ReapReport;
import warm.core.sso.RunRealm;
import warm.quick.cli.Cli;

/**
 * {@code warm sso create|delete|reap}: per-run realms in the live-warm Keycloak. Only {@code create --json} prints
 * the client secret (and test-user password), on stdout, because the caller needs them; text output and logs never
 * carry a secret (DESIGN I10).
 */
@Command(name = "sso", mixinStandardHelpOptions = true,
    description = {"Per-run SSO realms in the live-warm Keycloak (configuration section 'keycloak').", "",
        "Exit codes: 0 done, 2 bad input or configuration (nothing changed),",
        "4 Keycloak unreachable, credentials rejected or Keycloak failed (reap: some realm could not be handled)."},
    subcommands = {SsoCommand.Create.class, SsoCommand.Delete.class, SsoCommand.Reap.class})
public final class SsoCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KeycloakRealmManager manager(Cli.Common common) {
    return KeycloakRealmManager.fromConfig(common.config(), ProcessRunner.system());
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create the realm and OIDC client of one run.", "",
          "The realm is ccw-<recipe>-<run id>, stamped as ours; its confidential OIDC client is named after the",
          "recipe (redirect URIs from keycloak.redirectUris, {domain} = --domain); optionally a test user.",
          "Prints issuer URL and client id; with --json also the client secret."})
  static final class Create implements Callable<Integer> {
    @Mixin
    Cli.Common common;

    @Option(names = "--recipe", required = true, paramLabel = "RECIPE", description = "the parent recipe")
    String recipe;

    @Option(names = "--domain", required = true, paramLabel = "DOMAIN",
        description = "the run's app domain; its stack decides whether the run is alive when reaping")
    String domain;

    @Option(names = "--run-id", paramLabel = "ID",
        description = "the run's unique id (1-32 of a-z, 0-9, inner '-'); default: 8 random hex characters")
    String runId;

    @Option(names = "--test-user", description = "also create user '" + KeycloakRealmManager.TEST_USER
        + "' with a random password (printed with --json only)")
    boolean testUser;

    @Override
    public Integer call() throws Exception {
      RealmRequest request = new RealmRequest(recipe, runId == null ? RealmNames.randomRunId() : runId, domain,
          testUser);
      KeycloakRealmManager m = manager(common);
      RunRealm r = m.create(request);
      if (common.json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("command", "sso create");
        o.put("outcome", "created");
        o.put("keycloak", m.keycloakUrl());
        o.put("realm", r.realm());
        o.put("runId", r.runId());
        o.put("issuer", r.issuer());
        o.put("clientId", r.clientId());
        o.put("clientSecret", r.clientSecret());
        if (r.testUser() != null) {
          o.putObject("testUser").put("username", r.testUser().username()).put("password", r.testUser().password());
        } else {
          o.putNull("testUser");
        }
        System.out.println(JSON.writeValueAsString(o));
      } else {
        System.out.println("realm " + r.realm() + " created in Keycloak " + m.keycloakUrl() + " (run " + r.runId() + ")");
        System.out.println("issuer:        " + r.issuer());
        System.out.println("client id:     " + r.clientId());
        System.out.println("client secret: not shown (use --json)");
        if (r.testUser() != null) {
          System.out.println("test user:     " + r.testUser().username() + " (password: use --json)");
        }
      }
      return ExitCode.OK.code();
    }
  }

  /** A run named by recipe and run id. */
  static final class Run {
    @Option(names = "--recipe", required = true, paramLabel = "RECIPE", description = "the parent recipe")
    String recipe;

    @Option(names = "--run-id", required = true, paramLabel = "ID", description = "the run's id")
    String runId;
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = {"Delete a run's realm.", "",
          "Idempotent: a realm that does not exist counts as deleted. Refuses master and any realm not",
          "stamped as made by this installation (exit 2)."})
  static final class Delete implements Callable<Integer> {
    @Mixin
    Cli.Common common;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
      @Option(names = "--realm", paramLabel = "REALM", description = "the realm's name")
      String realm;

      @ArgGroup(exclusive = false)
      Run run;
    }

    @Override
    public Integer call() throws Exception {
      String realm = choice.realm != null ? choice.realm : RealmNames.realmName(choice.run.recipe, choice.run.runId);
      DeleteOutcome o = manager(common).delete(realm);
      if (common.json) {
        ObjectNode j = JSON.createObjectNode();
        j.put("command", "sso delete");
        j.put("realm", realm);
        j.put("outcome", o == DeleteOutcome.DELETED ? "deleted" : "absent");
        System.out.println(JSON.writeValueAsString(j));
      } else {
        System.out.println(o == DeleteOutcome.DELETED ? "realm " + realm + " deleted"
            : "realm " + realm + " does not exist: nothing to delete");
      }
      return ExitCode.OK.code();
    }
  }

  @Command(name = "reap", mixinStandardHelpOptions = true,
      description = {"Delete leftover realms of dead or expired runs.", "",
          "Deletes this installation's realms whose run is gone (its Swarm stack no longer exists, after the",
          "grace period) or that are older than the TTL. Never touches master or realms not stamped as ours.",
          "Exit 4 when some realm could not be judged or deleted (it is kept)."})
  static final class Reap implements Callable<Integer> {
    @Mixin
    Cli.Common common;

    @Option(names = "--ttl-minutes", paramLabel = "N",
        description = "delete realms older than this even if their run lives (default: keycloak.realmTtlMinutes)")
    Integer ttlMinutes;

    @Option(names = "--grace-minutes", paramLabel = "N", description = "never delete a realm younger than this "
        + "for a dead run: a run makes its realm before it deploys (default: prune.realmGraceMinutes)")
    Integer graceMinutes;

    @Option(names = "--dry-run", description = "report what would be deleted, delete nothing")
    boolean dryRun;

    /**
     * The options over the configuration: the TTL defaults to {@code keycloak.realmTtlMinutes}, the grace to
     * {@code prune.realmGraceMinutes} ({@code warm prune} reaps realms too, and must not judge the same realm by
     * another grace).
     */
    static ReapPolicy policy(WarmConfig c, Integer ttlMinutes, Integer graceMinutes, boolean dryRun) {
      int ttl = ttlMinutes != null ? ttlMinutes : c.keycloak().realmTtlMinutes();
      if (ttl <= 0) {
        throw WarmException.usage("--ttl-minutes must be positive, got " + ttl);
      }
      if (graceMinutes != null && graceMinutes < 0) {
        throw WarmException.usage("--grace-minutes must not be negative, got " + graceMinutes);
      }
      return new ReapPolicy(Duration.ofMinutes(ttl),
          graceMinutes != null ? Duration.ofMinutes(graceMinutes) : c.prune().realmGrace(), dryRun);
    }

    @Override
    public Integer call() throws Exception {
      WarmConfig c = common.config();
      ReapPolicy policy = policy(c, ttlMinutes, graceMinutes, dryRun);
      ReapReport report = manager(common).reap(new DockerStackLiveness(Platforms.docker(c, ProcessRunner.system())),
          policy);
      if (common.json) {
        ObjectNode j = JSON.createObjectNode();
        j.put("command", "sso reap");
        j.put("dryRun", report.dryRun());
        ArrayNode realms = j.putArray("realms");
        for (ReapReport.Entry e : report.entries()) {
          realms.addObject().put("realm", e.realm()).put("runId", e.runId())
              .put("action", e.action().name().toLowerCase(Locale.ROOT)).put("reason", e.reason());
        }
        j.put("deleted", report.deleted().size());
        j.put("notOurs", report.notOurs());
        j.put("outcome", report.hasFailures() ? "failed" : "ok");
        System.out.println(JSON.writeValueAsString(j));
      } else {
        for (ReapReport.Entry e : report.entries()) {
          System.out.println(e.action().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " "
              + e.realm() + " (run " + e.runId() + "): " + e.reason());
        }
        System.out.println((report.dryRun() ? "would delete " + report.entries().stream()
            .filter(e -> e.action() == ReapReport.Action.WOULD_DELETE).count() : "deleted " + report.deleted().size())
            + " of " + report.entries().size() + " realm(s) of ours; " + report.notOurs()
            + " realm(s) not ours left alone");
      }
      return report.hasFailures() ? ExitCode.INFRA.code() : ExitCode.OK.code();
    }
  }
}
