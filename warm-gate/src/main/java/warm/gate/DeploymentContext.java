package warm.gate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The platforms and integrations a deployment uses (true) or does not (false). A sentence, bullet or section of a
 * release note that names only things the deployment does not use (Kubernetes-only changes on a Docker Swarm host)
 * cannot hold its upgrade; naming something it uses as well keeps it in scope. Terms match whole words,
 * case-insensitively.
 *
 * @param terms term (lower case) → used
 */
public record DeploymentContext(Map<String, Boolean> terms) {
  /**
   * The term that says the deployment runs the upstream's container image (true by default). An operator who
   * builds from source sets it false in {@code gate.context}: then the standard upgrade steps hold again.
   */
  public static final String CONTAINER_IMAGE = "container image";
  /** What a Co-op Cloud host runs on, and what it never does. */
  public static final Map<String, Boolean> DEFAULT_TERMS = defaultTerms();

  /**
   * Validates and copies; keys are lower-cased.
   *
   * @param terms see the record component
   * @throws IllegalArgumentException when a term is blank, longer than 100 characters, or given twice
   */
  public DeploymentContext {
    Map<String, Boolean> copy = new LinkedHashMap<>();
    terms.forEach((k, v) -> {
      Objects.requireNonNull(v, "used");
      String t = Objects.requireNonNull(k, "term").strip().toLowerCase(Locale.ROOT);
      if (t.isEmpty() || t.length() > 100) {
        throw new IllegalArgumentException("a gate context term must be 1-100 characters, got '" + k + "'");
      }
      if (copy.put(t, v) != null) {
        throw new IllegalArgumentException("gate context term '" + t + "' is given twice");
      }
    });
    terms = java.util.Collections.unmodifiableMap(copy);
  }

  /** @return Docker Swarm and Compose used; Kubernetes, Helm, OpenShift, Nomad, Podman, Windows, macOS not */
  public static DeploymentContext defaults() {
    return new DeploymentContext(DEFAULT_TERMS);
  }

  /**
   * @param overrides terms to add or flip (an operator's {@code gate.context})
   * @return the defaults with the overrides applied
   */
  public static DeploymentContext defaultsWith(Map<String, Boolean> overrides) {
    Map<String, Boolean> all = new LinkedHashMap<>(DEFAULT_TERMS);
    overrides.forEach((k, v) -> all.put(k.strip().toLowerCase(Locale.ROOT), v));
    return new DeploymentContext(all);
  }

  /** @return true when the deployment runs the upstream's container image ({@link #CONTAINER_IMAGE}) */
  boolean runsImage() {
    return terms.getOrDefault(CONTAINER_IMAGE, false);
  }

  /** @return the terms the deployment does not use */
  List<String> unused() {
    return terms.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
  }

  /** @return the terms the deployment uses */
  List<String> used() {
    return terms.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }

  private static Map<String, Boolean> defaultTerms() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    // "container image": the deployment runs the upstream's image, which performs the standard steps of an upgrade
    // (stop, install dependencies, restart) and brings the runtime the release needs (NoteClassifier)
    for (String used : List.of("docker", "swarm", "docker swarm", "compose", "docker compose", "traefik", "linux",
        CONTAINER_IMAGE)) {
      m.put(used, true);
    }
    for (String unused : List.of("kubernetes", "k8s", "helm", "helm chart", "openshift", "nomad", "podman", "windows",
        "macos", "homebrew", "snap", "snapcraft", "freebsd", "aks", "eks", "gke", "kubectl", "operatorhub",
        // the runtime and packaging a container image brings with it: its requirements are the image's business
        "php", "python", "rust", "ruby", "node.js", "nodejs", "golang", "ubuntu", "debian package", "debian packages",
        "fedora", "epel", "centos", "rhel", "pip", "pypi", "from source", "source checkout", "source install",
        "bare metal", "bare-metal", "binary install", "binary installs", "systemd",
        // other install methods, in the words notes use for them (round 12): whoever packages or builds the product
        "source installation", "source installations", "binary package", "binary packages", "packagers",
        "package maintainers",
        // code written against the application, which a Co-op Cloud deployment does not carry
        "module api", "module authors", "module developers", "plugin developers", "plugin authors",
        "client developers", "third-party modules")) {
      m.put(unused, false);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
