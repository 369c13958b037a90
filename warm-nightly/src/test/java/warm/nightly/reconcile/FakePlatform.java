package warm.nightly.reconcile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import warm.core.WarmException;
import warm.core.platform.AppRef;
import warm.core.platform.DeployedVersion;
import warm.core.platform.Platform;
import warm.core.platform.VolumeInfo;

/**
 * A platform in memory for the reconciler's decision logic: published tags and notes, one deployed version, versions
 * whose deploy fails, and a log of what was asked. Stateless apps only (no volumes): the real Swarm ITs prove the
 * snapshot and restore.
 */
final class FakePlatform implements Platform {
  final List<String> tags = new ArrayList<>();
  final Map<String, String> notes = new LinkedHashMap<>();
  final Set<String> failingDeploys = new HashSet<>();
  final List<String> calls = new ArrayList<>();
  String deployed;
  String unhealthy;

  FakePlatform(String... published) {
    tags.addAll(List.of(published));
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Path fetchRecipe(String recipe) {
    calls.add("fetch " + recipe);
    return Path.of("/nonexistent");
  }

  @Override
  public List<String> publishedVersions(String recipe) {
    return List.copyOf(tags);
  }

  @Override
  public Optional<String> releaseNote(String recipe, String version) {
    return Optional.ofNullable(notes.get(version));
  }

  @Override
  public void createApp(AppRef app) {
    calls.add("create");
  }

  @Override
  public void generateMissingSecrets(AppRef app) {
    calls.add("secrets");
  }

  @Override
  public void deploy(AppRef app, String version) {
    calls.add("deploy " + version);
    deployed = version;
    if (failingDeploys.contains(version)) {
      throw WarmException.infra("stack " + app.stack() + " did not become healthy: " + version + " is broken");
    }
    unhealthy = null;
  }

  @Override
  public void deployChaos(AppRef app, Path checkout) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void undeploy(AppRef app) {
    calls.add("undeploy");
    deployed = null;
  }

  @Override
  public Optional<DeployedVersion> deployed(AppRef app) {
    return Optional.ofNullable(deployed).map(v -> new DeployedVersion(v, false, "", app.recipe()));
  }

  @Override
  public Optional<String> unhealthy(AppRef app) {
    return Optional.ofNullable(unhealthy);
  }

  @Override
  public boolean anythingRunning(AppRef app) {
    return deployed != null;
  }

  @Override
  public List<String> volumeHolders(String volume) {
    return List.of();
  }

  @Override
  public void recreateVolume(AppRef app, String volume) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<VolumeInfo> volumes(AppRef app) {
    return List.of();
  }

  @Override
  public void removeApp(AppRef app) {
    throw new UnsupportedOperationException();
  }

  /** The calls that changed the deployment. */
  List<String> changes() {
    return calls.stream().filter(c -> c.startsWith("deploy") || c.startsWith("undeploy")).toList();
  }
}
