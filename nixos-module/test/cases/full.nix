# A full production-like configuration: every option group set.
{ pkgs, ... }:
{
  virtualisation.docker.enable = true;
  services.cc-ci-warm = {
    enable = true;
    ciDomain = "ci.example.org";
    docker = "/run/current-system/sw/bin/docker";
    platform = "abra";
    abra = { package = pkgs.abra; server = "default"; extraDeployFlags = [ "--no-converge-checks" ]; };
    recipes = {
      wordpress = { };
      nextcloud = { sso = true; healthUrl = "https://{domain}/status.php"; };
      gitea.domain = "git-warm.ci.example.org";
    };
    infra = {
      traefik = { domain = "traefik.ci.example.org"; upstreamNotes.directory = "/srv/upstream-notes/traefik"; };
      keycloak = { domain = "auth.ci.example.org"; stateful = true; after = [ "traefik" ];
        healthUrl = "https://{domain}/realms/master"; acknowledged = [ "25.0.0+25.0.6" ];
        upstreamNotes = { urlTemplate = "https://github.com/keycloak/keycloak/releases/tag/{version}";
          timeoutSeconds = 5; onUnreachable = "proceed"; }; };
    };
    keycloak = { url = "https://auth.ci.example.org"; secretFile = "/run/secrets/keycloak-admin"; };
    notify = [
      { type = "command"; command = [ "/run/current-system/sw/bin/logger" "-t" "cc-ci-warm-alert" ]; }
      { type = "webhook"; url = "https://ntfy.example.org/ci"; format = "ntfy"; }
      # The token stays out of the store: URL and headers read from files at delivery time.
      { type = "webhook"; urlFile = "/run/secrets/hook-url"; headersFile = "/run/secrets/hook-headers"; }
    ];
    timeouts = { deploySeconds = 900; healthSeconds = 600; healthUrlSeconds = 45; };
    prune = { dates = "weekly"; randomizedDelaySec = "30min"; deenrolledGraceMinutes = 4320; deadRunAgeMinutes = 480;
      realmGraceMinutes = 45; imagePruneAbovePercent = 85;
      sentAlertAgeDays = 120; gateNoteAgeDays = 45; };
    nightly = { enable = true; maxTests = 10; waitSeconds = 7200; recipeTimeoutSeconds = 5400; rebuildCommand = [ ];
      coldCommand = [ "/run/current-system/sw/bin/warm" "cold" "--recipe" "{recipe}" "--result" "{file}" ]; };
    disk.budgetPercent = 40;
    status.textfile = "/var/lib/prometheus-node-exporter-text-files/cc-ci-warm.prom";
    gate = { context = { kubernetes = false; "docker swarm" = true; }; markers = [ "rotate the OIDC secret" ];
      autoApply = "patch"; };
    # ssoReap.graceMinutes unset: it follows prune.realmGraceMinutes (45; run.sh expects --grace-minutes=45).
    abra.abraDir = "/var/lib/ci-warm/abra";
    swarm = { recipesDir = "/var/lib/ci-warm/recipes"; appsDir = "/var/lib/ci-warm/apps"; };
    # Merged last and winning: the escape hatch for fields without an option.
    extraConfig.timeouts.testSeconds = 7200;
  };
}
