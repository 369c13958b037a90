package warm.core.platform;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import warm.core.platform.SwarmObjects.Service;

/** The read side both adapters share: what Swarm says about a stack, from abra's labels. */
final class StackReader {
  private final DockerCli docker;

  StackReader(DockerCli docker) {
    this.docker = docker;
  }

  Optional<DeployedVersion> deployed(AppRef app) {
    String stack = app.stack();
    List<Service> services = docker.services(stack);
    if (services.isEmpty()) {
      return Optional.empty();
    }
    String prefix = "coop-cloud." + stack + ".";
    // abra labels the `app` service; prefer it, else any service carrying the version label.
    Map<String, String> labels = services.stream()
        .filter(s -> (stack + "_app").equals(s.name())).map(Service::labels).findFirst()
        .orElseGet(() -> services.stream().map(Service::labels)
            .filter(l -> l.containsKey(prefix + "version")).findFirst().orElse(services.get(0).labels()));
    String version = labels.get(prefix + "version");
    boolean chaos = "true".equalsIgnoreCase(labels.getOrDefault(prefix + "chaos", "false"));
    // abra sets chaos-version only on chaos deploys; an empty label (the swarm adapter writes one) means the same.
    String chaosVersion = labels.get(prefix + "chaos-version");
    if (chaosVersion != null && chaosVersion.isEmpty()) {
      chaosVersion = null;
    }
    String recipe = labels.get(prefix + "recipe");
    return Optional.of(new DeployedVersion(version, chaos, chaosVersion, recipe));
  }
}
