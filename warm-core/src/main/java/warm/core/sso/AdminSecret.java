package warm.core.sso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.KeycloakSettings;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * Where the admin password (password grant) or client secret (client credentials) comes from: a file, or a command
 * that prints it (how cc-ci reads the keycloak recipe's Swarm secret, e.g. {@code docker exec … cat
 * /run/secrets/admin_password}). Read once per session and kept only in memory.
 */
final class AdminSecret {
  private final KeycloakSettings settings;
  private final ProcessRunner runner;
  private final Duration timeout;
  /** Where systemd put the unit's credentials ({@code $CREDENTIALS_DIRECTORY}); null outside such a unit. */
  private final String credentialsDirectory;
  private String cached;

  AdminSecret(KeycloakSettings settings, ProcessRunner runner, Duration timeout) {
    this(settings, runner, timeout, System.getenv("CREDENTIALS_DIRECTORY"));
  }

  AdminSecret(KeycloakSettings settings, ProcessRunner runner, Duration timeout, String credentialsDirectory) {
    this.settings = settings;
    this.runner = runner;
    this.timeout = timeout;
    this.credentialsDirectory = credentialsDirectory;
  }

  /** Checks that a source is configured at all, without reading it (a usage error otherwise). */
  static void requireConfigured(KeycloakSettings s) {
    if (s.secretFile() == null && s.secretCommand().isEmpty()) {
      throw WarmException.usage("keycloak: neither keycloak.secretFile nor keycloak.secretCommand is set "
          + "(the admin " + ("password".equals(s.grant()) ? "password" : "client secret") + " comes from one of them)");
    }
  }

  /** The systemd credential the NixOS module's units load (LoadCredential=keycloak-secret:<secretFile>). */
  static final String CREDENTIAL = "keycloak-secret";

  /**
   * Under systemd, the unit's copy of {@code secretFile} ({@code $CREDENTIALS_DIRECTORY/keycloak-secret}): the
   * secret file itself can then stay readable by root only.
   */
  private Optional<Path> credential() {
    if (credentialsDirectory == null || credentialsDirectory.isEmpty()) {
      return Optional.empty();
    }
    Path p = Path.of(credentialsDirectory, CREDENTIAL);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  synchronized String get() {
    if (cached == null) {
      cached = read();
    }
    return cached;
  }

  private String read() {
    requireConfigured(settings);
    if (settings.secretFile() != null) {
      Path file = credential().orElse(settings.secretFile());
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw WarmException.usage("keycloak.secretFile " + settings.secretFile() + ": file does not exist");
      } catch (IOException e) {
        throw WarmException.usage("keycloak.secretFile " + settings.secretFile() + ": cannot read ("
            + e.getClass().getSimpleName() + ")");
      }
      String secret = chomp(text);
      if (secret.isEmpty()) {
        throw WarmException.usage("keycloak.secretFile " + settings.secretFile() + " is empty");
      }
      return secret;
    }
    Command cmd = Command.of(settings.secretCommand()).withTimeout(timeout);
    ProcessResult r = runner.run(cmd);
    String secret = chomp(r.stdout() == null ? "" : r.stdout());
    // The command's output is the secret: redact it from anything we report about the command.
    Command shown = cmd.withSecret(secret).withSecret(secret.strip());
    if (!r.ok()) {
      String err = shown.redact(r.stderr() == null ? "" : r.stderr().strip());
      if (err.length() > 300) {
        err = "…" + err.substring(err.length() - 300);
      }
      throw new WarmException(ExitCode.INFRA, "keycloak.secretCommand '" + shown.display() + "' "
          + (r.timedOut() ? "timed out after " + timeout.toSeconds() + " s" : "exited with code " + r.exitCode())
          + (err.isEmpty() ? "" : ": " + err.replace('\n', ' ')));
    }
    if (secret.isEmpty()) {
      throw new WarmException(ExitCode.INFRA, "keycloak.secretCommand '" + shown.display() + "' printed nothing");
    }
    return secret;
  }

  /** Drops the line terminator a file or {@code echo} adds; inner and other whitespace belongs to the secret. */
  static String chomp(String s) {
    String t = s;
    while (t.endsWith("\n") || t.endsWith("\r")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
