package warm.core.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** The read side both adapters share: what Swarm says about a stack, from abra's labels. */
final class StackReader {
  private final DockerCli docker;

  StackReader(DockerCli docker) {
    this.docker = docker;
  }

  Optional<DeployedVersion> deployed(AppRef app) {
    String stack = app.stack();
    List<JsonNode> services = docker.services(stack);
    if (services.isEmpty()) {
      return Optional.empty();
    }
    String prefix = "coop-cloud." + stack + ".";
    // abra labels the `app` service; prefer it, else any service carrying the version label.
    JsonNode labels = services.stream()
        .filter(s -> (stack + "_app").equals(s.path("Spec").path("Name").asText()))
        .map(s -> s.path("Spec").path("Labels")).findFirst()
        .orElseGet(() -> services.stream().map(s -> s.path("Spec").path("Labels"))
            .filter(l -> l.has(prefix + "version")).findFirst().orElse(services.get(0).path("Spec").path("Labels")));
    String version = labels.path(prefix + "version").asText(null);
    boolean chaos = "true".equalsIgnoreCase(labels.path(prefix + "chaos").asText("false"));
    // abra sets chaos-version only on chaos deploys; an empty label (the swarm adapter writes one) means the same.
    String chaosVersion = labels.path(prefix + "chaos-version").asText(null);
    if (chaosVersion != null && chaosVersion.isEmpty()) {
      chaosVersion = null;
    }
    String recipe = labels.path(prefix + "recipe").asText(null);
    return Optional.of(new DeployedVersion(version, chaos, chaosVersion, recipe));
  }
}
