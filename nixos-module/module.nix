# services.cc-ci-warm: the warm-data layer of cc-ci (see docs/nixos.md for the operator's manual).
#
# Options become one JSON file, /etc/cc-ci-warm/config.json, whose keys mirror the Java records in
# warm-core/src/main/java/warm/core/config/ exactly (WarmConfig, RecipeConfig, InfraApp, AbraSettings, SwarmSettings,
# KeycloakSettings, NotifyChannel, Timeouts, NightlySettings, DiskSettings, StatusSettings, PruneSettings,
# UpstreamNotesSettings); the Java loader rejects unknown keys, so a drift between this file and
# the records fails `warm config check` (run by nixos-module/test/run.sh) instead of being silently ignored.
#
# Units (what runs when); every one runs a command of the built CLI, which nixos-module/test/check-cli.py proves by
# running each rendered command line with the distribution:
#   cc-ci-warm-recover.service                 boot, once (RemainAfterExit): `warm recover --skip-busy` (an app whose
#                                              lock a live operation holds is left alone, so a switch that re-runs
#                                              a failed recover never touches a running nightly's journal)
#   cc-ci-warm-reconcile-<infra>.service       boot and EVERY `nixos-rebuild switch` (oneshot, no RemainAfterExit),
#                                              bounded by TimeoutStartSec: `warm reconcile <infra>`, which only tries
#                                              the app's lock and skips when it is busy (I7); exits 1 (rolled back),
#                                              3 (held), 5 (skipped) count as success, 4 fails the unit
#   cc-ci-warm-nightly.service (+ .timer)      timer only, when nightly.enable: `warm nightly`
#   cc-ci-warm-prune.service (+ .timer)        timer only: `warm prune`
#   cc-ci-warm-sso-reap.service (+ .timer)     timer only, when keycloak.url is set: `warm sso reap`
#   cc-ci-warm-alerts-deliver.service (+ .timer) timer only, when a notify channel exists: `warm alerts deliver`
# Timer units are never restarted or stopped by a switch (restartIfChanged=false, X-StopOnRemoval=false), as
# nixos-upgrade. Every unit: KillMode=mixed (a stop sends SIGTERM to the JVM alone, which runs its FAIL/rollback
# path and stops its own children) and a TimeoutStopSec above the rollback's own bounds (stopSeconds below).
# Every ExecStart passes --config <the build-time-checked config file>.
{ config, lib, pkgs, ... }:
let
  cfg = config.services.cc-ci-warm;
  inherit (lib) mkOption mkEnableOption mkIf types literalExpression;

  warm = lib.getExe cfg.package;
  dropNulls = lib.filterAttrs (_: v: v != null);

  # ---- the JSON document (keys = Java record components) ----------------------------------------------------
  recipeJson = name: r: dropNulls { inherit name; inherit (r) domain sso healthUrl; };
  infraJson = name: a: dropNulls {
    inherit name; inherit (a) recipe domain stateful healthUrl acknowledged;
    upstreamNotes = if a.upstreamNotes == null then null
      else dropNulls { inherit (a.upstreamNotes) directory urlTemplate timeoutSeconds onUnreachable; };
  };
  notifyJson = n: dropNulls { inherit (n) type command url urlFile headersFile format headers timeoutSeconds; };
  keycloakJson = dropNulls {
    inherit (cfg.keycloak) url adminRealm grant username clientId secretFile realmTtlMinutes redirectUris
      requestTimeoutSeconds;
  };
  generated = {
    stateRoot = cfg.stateDir;
    inherit (cfg) ciDomain platform docker;
    domains = { inherit (cfg.domains) canonical cold; };
    recipes = lib.mapAttrsToList recipeJson cfg.recipes;
    infra = lib.mapAttrsToList infraJson cfg.infra;
    abra = dropNulls {
      executable = if cfg.abra.package != null then lib.getExe cfg.abra.package else cfg.abra.executable;
      inherit (cfg.abra) abraDir server noDomainChecks extraDeployFlags;
    };
    swarm = dropNulls { inherit (cfg.swarm) recipesDir appsDir; };
    keycloak = if cfg.keycloak.url == null then { } else keycloakJson;
    notify = map notifyJson cfg.notify;
    timeouts = { inherit (cfg.timeouts) deploySeconds undeploySeconds healthSeconds healthUrlSeconds lockWaitSeconds
      commandSeconds testSeconds; };
    nightly = dropNulls { inherit (cfg.nightly) coldCommand recipeTimeoutSeconds maxTests waitSeconds rebuildCommand; };
    disk = dropNulls { inherit (cfg.disk) budgetBytes budgetPercent warnPercent; };
    status = dropNulls { inherit (cfg.status) textfile; };
    prune = { inherit (cfg.prune) deenrolledGraceMinutes deadRunAgeMinutes realmGraceMinutes imagePruneAbovePercent
      sentAlertAgeDays gateNoteAgeDays; };
    gate = { inherit (cfg.gate) context markers autoApply; };
  };
  configJson = lib.recursiveUpdate generated cfg.extraConfig;

  # The JSON file, checked by the real Java loader at build time (checkConfig): a bad configuration fails
  # `nixos-rebuild build`, not the first timer at 03:00. `warm config check` reads only this file.
  jsonFormat = pkgs.formats.json { };
  configUnchecked = jsonFormat.generate "cc-ci-warm-config.json" configJson;
  configFile = if !cfg.checkConfig then configUnchecked else pkgs.runCommand "cc-ci-warm-config-checked.json"
    { unchecked = configUnchecked; preferLocalBuild = true; } ''
      ${warm} config check --config "$unchecked" >/dev/null
      cp "$unchecked" "$out"
    '';

  # systemd timespans this module reads back (the switch budget): N, Ns, Nmin, Nm, Nh; null for other forms.
  timespanSeconds = s:
    let m = builtins.match "([1-9][0-9]*) *(s|sec|m|min|h|hr)?" s;
    in if m == null then null
       else builtins.fromJSON (builtins.elemAt m 0)
         * ({ s = 1; sec = 1; m = 60; min = 60; h = 3600; hr = 3600; }.${if builtins.elemAt m 1 == null then "s" else builtins.elemAt m 1});

  # How long a stop may take. The JVM answers SIGTERM by running its rollback (undeploy, restore, redeploy the
  # known-good or last-good, health), whose steps are bounded by these timeouts; the quick lane and promotion give
  # their rollback at most 15 min (ROLLBACK_BOUND) before the JVM exits anyway. systemd must not SIGKILL before
  # either bound: the larger of the two, plus a minute for the JVM's start and exit.
  # The rollback's redeploy of an infra app waits for Swarm (healthSeconds) and then for its healthUrl
  # (healthUrlSeconds).
  rollbackSeconds = with cfg.timeouts; undeploySeconds + deploySeconds + healthSeconds + healthUrlSeconds + commandSeconds;
  stopSeconds = (if rollbackSeconds > 900 then rollbackSeconds else 900) + 60;

  dockerUnits = lib.optional config.virtualisation.docker.enable "docker.service";

  # What a switch may wait for: recover and the reconcile oneshots, each bounded by reconcile.timeoutStartSec.
  switchUnits = [ "recover" ] ++ lib.optionals cfg.reconcile.onSwitch (builtins.attrNames reconcileServices);
  switchSeconds = let t = timespanSeconds cfg.reconcile.timeoutStartSec;
    in if t == null then null else t * builtins.length switchUnits;

  # The runner's entry to the quick lane (run as root by sudo): the quick lane as the service user, with exactly
  # the units' volume capabilities (ambient, so the JVM has them), no new privileges, a clean environment. Its usage
  # and error hints name this launcher, as the runner typed it (warm.program; WARM_JAVA_OPTS comes after bin/warm's).
  capNames = builtins.concatStringsSep "," (map (c: "+" + lib.toLower (lib.removePrefix "CAP_" c)) cfg.volumeCapabilities);
  quickLauncher = pkgs.writeShellScriptBin "cc-ci-warm-quick" ''
    # Another configuration would point the capabilities at another "state root": refused.
    for a in "$@"; do
      case "$a" in
        --config|--config=*) echo "cc-ci-warm-quick: --config is not allowed: the quick lane runs with the system's configuration" >&2; exit 2 ;;
      esac
    done
    exec ${pkgs.util-linux}/bin/setpriv --reuid=${cfg.user} --regid=${cfg.group} --init-groups \
      --inh-caps=-all,${capNames} --ambient-caps=-all,${capNames} --bounding-set=-all,${capNames} --no-new-privs \
      -- ${pkgs.coreutils}/bin/env -i PATH=${lib.makeBinPath (cfg.runtimePackages ++ lib.optional (cfg.abra.package != null) cfg.abra.package)} \
      WARM_CONFIG=${configFile} WARM_JAVA_OPTS=-Dwarm.program=cc-ci-warm-quick \
      ${lib.getExe' cfg.package "warm-quick"} "$@"
  '';

  # ---- domains, for the collision assertions (same templates as warm.core.naming) ---------------------------
  canonicalDomain = name: r:
    if r.domain != null then r.domain
    # warm.core.naming replaces '_' by '-' in the recipe part of a domain; so must we.
    else builtins.replaceStrings [ "{recipe}" "{ciDomain}" ] [ (builtins.replaceStrings [ "_" ] [ "-" ] name) cfg.ciDomain ]
      cfg.domains.canonical;
  canonicals = lib.mapAttrsToList (n: r: { recipe = n; domain = canonicalDomain n r; }) cfg.recipes;
  infraByDomain = lib.listToAttrs (lib.mapAttrsToList (n: a: lib.nameValuePair a.domain n) cfg.infra);

  # ---- units ------------------------------------------------------------------------------------------------
  unitName = what: "cc-ci-warm-${what}";
  # warm.core.naming's recipe-name rule; attribute names become unit names and argv, so check them here too.
  validName = n: builtins.match "[a-z0-9]([a-z0-9_-]{0,62}[a-z0-9])?" n != null;
  recoverUnit = "${unitName "recover"}.service";
  # `warm <args>` with the checked configuration, explicitly (not only through WARM_CONFIG).
  warmCommand = args: "${warm} ${args} --config ${configFile}";
  # The user and group the module creates: only under their default names. An operator who names an existing
  # user keeps it as it is (home, shell, groups): the module must not force its home to the state root.
  createUser = cfg.user == "ci-warm";
  createGroup = cfg.group == "ci-warm";

  # Shared [Service] settings: who runs, where it may write, and the hardening that still lets the snapshot
  # engine read and restore volume files owned by container uids.
  common = {
    User = cfg.user;
    Group = cfg.group;
    SupplementaryGroups = [ cfg.dockerGroup ];
    UMask = "0077";
    PrivateTmp = true;
    NoNewPrivileges = true;
    ProtectSystem = "strict";
    ProtectHome = true;
    ProtectKernelTunables = true;
    ProtectKernelModules = true;
    ProtectControlGroups = true;
    RestrictSUIDSGID = true;
    LockPersonality = true;
    ProtectKernelLogs = true;
    ProtectClock = true;
    ProtectHostname = true;
    PrivateDevices = true;
    RestrictRealtime = true;
    RestrictNamespaces = true;
    SystemCallArchitectures = "native";
    # Checked against what the program does (nixos-module/test/syscalls.sh: strace -f of a real reflink and tar
    # snapshot and restore, chown and FICLONE included, and a quick run, mapped to `systemd-analyze
    # syscall-filter`'s sets). Not ~@privileged: it holds chown(2), which restore needs.
    SystemCallFilter = [ "@system-service" "~@clock @debug @module @mount @obsolete @raw-io @reboot @swap" ];
    SystemCallErrorNumber = "EPERM";
    RemoveIPC = true;
    PrivateMounts = true;
    ProtectProc = "invisible";
    # A stop (systemctl stop, shutdown, a timeout) sends SIGTERM to the JVM only: its shutdown hook stops the
    # command running at that instant and completes the rollback; SIGKILL for the rest only after TimeoutStopSec.
    KillMode = "mixed";
    TimeoutStopSec = toString stopSeconds;
    # Unix: the docker socket; inet: Keycloak, webhooks, health probes; netlink: glibc's getaddrinfo.
    RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ];
    # Not set on purpose: MemoryDenyWriteExecute (breaks the JVM's JIT).
    # `-` prefix: the docker volumes dir may not exist yet when docker has never run; systemd then skips it
    # instead of failing the unit.
    ReadWritePaths = [ cfg.stateDir "-${cfg.dockerVolumesDir}" ] ++ cfg.extraReadWritePaths;
    # Volumes hold files of arbitrary container uids: snapshot (read) and restore (write, chown) need these.
    AmbientCapabilities = cfg.volumeCapabilities;
    CapabilityBoundingSet = cfg.volumeCapabilities;
    SyslogIdentifier = "cc-ci-warm";
    # No StateDirectory= on purpose: systemd chowns a StateDirectory RECURSIVELY when its owner differs from
    # User= (a renamed user, a changed uid), which would rewrite the numeric owners every snapshot preserved for
    # the containers. The tmpfiles rule below creates the state root only (no recursive chown).
  } // lib.optionalAttrs (cfg.keycloak.secretFile != null) {
    # The secret file can stay root-only: systemd hands the unit a copy ($CREDENTIALS_DIRECTORY/keycloak-secret),
    # which the Java side prefers over keycloak.secretFile.
    LoadCredential = [ "keycloak-secret:${cfg.keycloak.secretFile}" ];
  };

  baseService = description: extra: lib.recursiveUpdate {
    inherit description;
    path = cfg.runtimePackages ++ lib.optional (cfg.abra.package != null) cfg.abra.package;
    environment = { WARM_CONFIG = "${configFile}"; }
      // lib.optionalAttrs (cfg.extraJavaOptions != [ ]) {
        # Read by the java launcher of the package's wrappers (JDK 9+).
        JDK_JAVA_OPTIONS = builtins.concatStringsSep " " cfg.extraJavaOptions;
      };
    after = [ "network-online.target" ] ++ dockerUnits;
    # Wants, not Requires: a docker restart during a switch must not stop a running job (its rollback needs the
    # JVM alive to finish once docker is back).
    wants = [ "network-online.target" ] ++ dockerUnits;
    serviceConfig = common // { Type = "oneshot"; };
  } extra;

  reconcileServices = lib.mapAttrs' (name: a: lib.nameValuePair (unitName "reconcile-${name}") (baseService
    "cc-ci-warm: reconcile infra app ${name} to its latest gated release" {
      # No RemainAfterExit: the unit is inactive after each run, so every `start multi-user.target` of a switch
      # runs it again (reference/nixos.md A3). Bounded, because the switch waits for a oneshot.
      # reconcile.onSwitch = false: the unit exists (systemctl start by hand) but boot and switches leave it.
      wantedBy = lib.optional cfg.reconcile.onSwitch "multi-user.target";
      after = [ "network-online.target" recoverUnit ] ++ dockerUnits
        ++ map (o: "${unitName "reconcile-${o}"}.service") a.after;
      serviceConfig = common // {
        Type = "oneshot";
        ExecStart = warmCommand "reconcile ${name}";
        TimeoutStartSec = cfg.reconcile.timeoutStartSec;
        # warm reconcile's exit codes: 1 rolled back (healthy at last-good, alert raised), 3 held by the gate
        # (alert raised), 5 skipped because another operation holds the app's lock: none may fail
        # `nixos-rebuild switch`. 4 (failed, rollback failed) and 2 (bad input) do fail the unit, and the switch.
        SuccessExitStatus = "1 3 5";
      };
    })) (lib.filterAttrs (_: a: a.reconcileOnSwitch) cfg.infra);

  # A oneshot started only by its timer; `args` is the command line after `warm`.
  timedService = what: args: description: t: {
    ${unitName what} = baseService description {
      after = [ "network-online.target" recoverUnit ] ++ dockerUnits;
      # A switch must not kill a multi-hour run: never restarted on change, never stopped on removal.
      restartIfChanged = false;
      unitConfig.X-StopOnRemoval = false;
      serviceConfig = common // {
        Type = "oneshot";
        ExecStart = warmCommand args;
        TimeoutStartSec = t.timeoutStartSec;
        # Background work: let CI runs have the CPU and disk first.
        Nice = 10;
        IOSchedulingClass = "best-effort";
        IOSchedulingPriority = 7;
      };
    };
  };

  # The timer-started jobs that are on: their unit name, command line after `warm`, and schedule options.
  scheduled = builtins.filter (j: j.on) [
    { name = "nightly"; args = "nightly"; on = cfg.nightly.enable; schedule = cfg.nightly;
      description = "cc-ci-warm: nightly rebuild, cold sweep and promotion"; }
    { name = "prune"; args = "prune"; on = cfg.prune.enable; schedule = cfg.prune;
      description = "cc-ci-warm: prune orphaned warm data"; }
    # Realm reaping needs the Keycloak the realms live in.
    { name = "sso-reap"; args = "sso reap --grace-minutes=${toString cfg.ssoReap.graceMinutes}";
      on = cfg.ssoReap.enable && cfg.keycloak.url != null; schedule = cfg.ssoReap;
      description = "cc-ci-warm: delete leftover SSO realms of dead or expired runs"; }
    # Retries what a channel could not take. Without a channel every alert stays pending and the command exits 4
    # on every run: the outbox is read with `warm alerts` and the journal instead.
    { name = "alerts-deliver"; args = "alerts deliver"; on = cfg.alertsDeliver.enable && cfg.notify != [ ];
      schedule = cfg.alertsDeliver; description = "cc-ci-warm: deliver pending alerts"; }
  ];
  timers = builtins.foldl' (acc: j: acc // timer j.name "${j.description} (timer)" j.schedule) { } scheduled;
  timedServices = builtins.foldl' (acc: j: acc // timedService j.name j.args j.description j.schedule) { } scheduled;

  timer = what: description: t: {
    ${unitName what} = {
      inherit description;
      wantedBy = [ "timers.target" ];
      timerConfig = {
        OnCalendar = t.dates;
        RandomizedDelaySec = t.randomizedDelaySec;
        Persistent = t.persistent;
        Unit = "${unitName what}.service";
      };
    };
  };

  scheduleOptions = what: defaultDates: defaultTimeout: {
    enable = mkOption {
      type = types.bool;
      default = true;
      description = "Whether to run `warm ${what}` from a systemd timer (where its condition holds).";
    };
    dates = mkOption {
      type = types.nonEmptyStr;
      default = defaultDates;
      description = "systemd OnCalendar expression of the ${what} timer (see systemd.time(7)).";
    };
    randomizedDelaySec = mkOption {
      type = types.str;
      default = "0";
      example = "45min";
      description = "RandomizedDelaySec of the ${what} timer.";
    };
    persistent = mkOption {
      type = types.bool;
      default = true;
      description = "Persistent= of the ${what} timer: a run missed while the host was off starts at boot.";
    };
    timeoutStartSec = mkOption {
      type = types.nonEmptyStr;
      default = defaultTimeout;
      description = ''
        Upper bound of one ${what} run. On expiry systemd sends SIGTERM, which makes the Java side roll back
        its journal (I5); `warm recover` finishes anything left.
      '';
    };
  };

  positive = default: description: mkOption { type = types.ints.positive; inherit default description; };
  absolutePath = types.strMatching "/.*";
in
{
  options.services.cc-ci-warm = {
    enable = mkEnableOption "cc-ci-warm, the warm-data layer of cc-ci";

    package = mkOption {
      type = types.package;
      default = pkgs.cc-ci-warm or (pkgs.callPackage ./package.nix { });
      defaultText = literalExpression "pkgs.cc-ci-warm or (pkgs.callPackage ./package.nix { })";
      description = "The cc-ci-warm distribution; `lib.getExe` of it (bin/warm) is what the units run.";
    };

    user = mkOption {
      type = types.nonEmptyStr;
      default = "ci-warm";
      description = ''
        Static system user the units run as (DynamicUser cannot join the fixed `docker` group). The module
        creates it only under its default name `ci-warm` (uid {option}`uid`, home = the state root); any other
        name must be an existing user, which the module leaves as it is.
      '';
    };
    group = mkOption {
      type = types.nonEmptyStr;
      default = "ci-warm";
      description = "Primary group of {option}`user`; created (gid {option}`gid`) only under its default name.";
    };
    uid = mkOption {
      type = types.ints.between 1 65533;
      default = 376;
      description = ''
        Pinned uid of the created `ci-warm` user. Snapshots keep numeric owners; a uid that changes between
        rebuilds would leave the state root owned by a stranger. A collision with another pinned id fails the
        build (NixOS's unique-uid assertion): then pick a free one.
      '';
    };
    gid = mkOption {
      type = types.ints.between 1 65533;
      default = 376;
      description = "Pinned gid of the created `ci-warm` group.";
    };
    runner = {
      users = mkOption {
        type = types.listOf types.nonEmptyStr;
        default = [ ];
        example = [ "gitea-runner" ];
        description = ''
          Unix users of the CI runner that start the quick lane. They join {option}`runner.group`, whose members
          may run `sudo cc-ci-warm-quick …`: the quick lane as the service user with the volume capabilities
          (it restores volumes owned by container uids). The state root stays 0700 to the service user.
        '';
      };
      group = mkOption {
        type = types.nonEmptyStr;
        default = "ci-warm-runners";
        description = "Group allowed to run `cc-ci-warm-quick` through sudo; created when {option}`runner.users` is set.";
      };
    };
    checkConfig = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Run `warm config check` (the real Java loader) on the generated JSON at build time, so a bad
        configuration fails `nixos-rebuild build`. Turn off only to build for a host the check cannot model.
      '';
    };
    extraJavaOptions = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "-Xmx512m" ];
      description = "JVM options of every unit (`JDK_JAVA_OPTIONS`, read by the package's java launcher).";
    };
    dockerGroup = mkOption {
      type = types.nonEmptyStr;
      default = "docker";
      description = "Group that owns the Docker socket; the service user is a member.";
    };

    stateDir = mkOption {
      type = absolutePath;
      default = "/var/lib/ci-warm";
      description = ''
        State root (JSON `stateRoot`): canonicals, snapshots, journals, locks, alerts. Created by a tmpfiles `d`
        rule (0700, {option}`user`), never a StateDirectory (systemd would chown the snapshots' container-owned
        files recursively when the owner changes). Put it on the filesystem of
        {option}`dockerVolumesDir` (XFS reflink=1 or btrfs) so snapshots are reflink copies.
      '';
    };
    dockerVolumesDir = mkOption {
      type = absolutePath;
      default = "/var/lib/docker/volumes";
      description = "Docker's volumes directory; writable by the units (snapshot restore writes volume data).";
    };
    extraReadWritePaths = mkOption {
      type = types.listOf absolutePath;
      default = [ ];
      description = "More paths the units may write (ProtectSystem=strict makes everything else read-only).";
    };
    volumeCapabilities = mkOption {
      type = types.listOf types.str;
      default = [ "CAP_DAC_OVERRIDE" "CAP_DAC_READ_SEARCH" "CAP_CHOWN" "CAP_FOWNER" "CAP_FSETID" ];
      description = ''
        Capabilities granted to the service user (ambient and bounding set): volume files belong to container
        uids, and snapshot/restore must read them, write them and keep their owners and modes.
      '';
    };
    runtimePackages = mkOption {
      type = types.listOf types.package;
      default = [ config.virtualisation.docker.package pkgs.git ];
      defaultText = literalExpression "[ config.virtualisation.docker.package pkgs.git ]";
      description = "Put on the units' PATH (the docker CLI and git); {option}`abra.package` is added when set.";
    };

    ciDomain = mkOption {
      type = types.nonEmptyStr;
      example = "ci.example.org";
      description = "The CI host's domain (JSON `ciDomain`); canonical and cold domains hang below it. Required.";
    };
    docker = mkOption {
      type = types.nonEmptyStr;
      default = "docker";
      example = "/run/current-system/sw/bin/docker";
      description = "The docker CLI every adapter reads Swarm state with (JSON `docker`): a name on the units' PATH or an absolute path.";
    };
    platform = mkOption {
      type = types.enum [ "abra" "swarm" ];
      default = "abra";
      description = "Deployment engine (JSON `platform`): `abra` in production, `swarm` for plain recipe dirs.";
    };
    domains = {
      canonical = mkOption {
        type = types.nonEmptyStr;
        default = "warm-{recipe}.{ciDomain}";
        description = "Template of canonical domains; placeholders {recipe} and {ciDomain}.";
      };
      cold = mkOption {
        type = types.nonEmptyStr;
        default = "{recipe}-{hex}.{ciDomain}";
        description = "Template of per-run cold domains; placeholders {recipe}, {hex}, {ciDomain}.";
      };
    };

    recipes = mkOption {
      default = { };
      example = literalExpression ''{ wordpress = { }; nextcloud.sso = true; }'';
      description = "Enrolled recipes (JSON `recipes`, one entry per attribute, name = attribute name).";
      type = types.attrsOf (types.submodule {
        options = {
          domain = mkOption {
            type = types.nullOr types.nonEmptyStr;
            default = null;
            description = "Explicit canonical domain; null means {option}`domains.canonical`.";
          };
          sso = mkOption {
            type = types.bool;
            default = false;
            description = "Whether quick runs of this recipe get a per-run Keycloak realm (as with --sso); needs keycloak.url.";
          };
          healthUrl = mkOption {
            type = types.nullOr (types.strMatching "https?://.+");
            default = null;
            description = "Optional HTTP probe (http or https) every deploy of the recipe waits for; {domain} is replaced by the app's domain.";
          };
        };
      });
    };

    infra = mkOption {
      default = { };
      example = literalExpression ''
        { traefik.domain = "traefik.ci.example.org";
          keycloak = { domain = "auth.ci.example.org"; stateful = true; after = [ "traefik" ]; }; }'';
      description = ''
        Live-warm infrastructure apps (JSON `infra`). Each gets a `cc-ci-warm-reconcile-<name>` oneshot that
        runs at boot and on every switch.
      '';
      type = types.attrsOf (types.submodule ({ name, ... }: {
        options = {
          recipe = mkOption {
            type = types.nonEmptyStr;
            default = name;
            description = "Recipe of the app (default: the attribute name).";
          };
          domain = mkOption {
            type = types.nonEmptyStr;
            description = "The app's domain (its stack name derives from it). Required.";
          };
          stateful = mkOption {
            type = types.bool;
            default = false;
            description = "Whether its volumes are snapshotted before an upgrade (keycloak: yes).";
          };
          healthUrl = mkOption {
            # The Java loader demands an http(s) URL too; checking here stops a bad value at evaluation.
            type = types.nullOr (types.strMatching "https?://.+");
            default = null;
            example = "https://{domain}/realms/master";
            description = ''
              Optional HTTP probe of the app itself: after a deploy the reconciler requires a 2xx answer from it
              (besides Swarm health), else it rolls back. {domain} is replaced by the app's domain.
            '';
          };
          acknowledged = mkOption {
            type = types.listOf (types.strMatching "[^/[:space:]]{1,128}");
            default = [ ];
            example = [ "11.0.0+26.0.5" ];
            description = ''
              Recipe versions whose manual upgrade step the operator has done by hand: they no longer hold the
              reconciler's gate (a release note's manual step of that version; a major bump, or a minor step under
              gate.autoApply = "patch", when it is the target). Add the held version after handling it, then switch.
            '';
          };
          upstreamNotes = mkOption {
            default = null;
            example = literalExpression ''
              { urlTemplate = "https://github.com/keycloak/keycloak/releases/tag/{version}"; }'';
            description = ''
              Optional: the gate also reads the upstream project's release notes of the upstream versions an
              upgrade crosses (the part after `+` of a recipe version). Give exactly one of directory and
              urlTemplate. See docs/gate.md "Upstream notes".
            '';
            type = types.nullOr (types.submodule {
              options = {
                directory = mkOption {
                  type = types.nullOr absolutePath;
                  default = null;
                  description = "Directory of notes named by upstream version (26.5.0, 26.5.0.md, .txt, .html).";
                };
                urlTemplate = mkOption {
                  # The Java loader demands an http(s) URL with a host too; checking here stops it at evaluation.
                  type = types.nullOr (types.strMatching "https?://[^/{}]+.*[{]version[}].*");
                  default = null;
                  example = "https://github.com/keycloak/keycloak/releases/tag/{version}";
                  description = "URL of one upstream version's note, {version} replaced; fetched and cached.";
                };
                timeoutSeconds = mkOption {
                  type = types.ints.between 1 120;
                  default = 10;
                  description = "Bound on one fetch, redirects and body included.";
                };
                onUnreachable = mkOption {
                  type = types.enum [ "hold" "proceed" ];
                  default = "hold";
                  description = ''
                    A note that cannot be reached (timeout, DNS, non-2xx, over 1 MiB, missing directory): hold the
                    upgrade, or proceed with a warning in the decision and the reconciler's log.
                  '';
                };
              };
            });
          };
          after = mkOption {
            type = types.listOf types.nonEmptyStr;
            default = [ ];
            description = "Other infra apps whose reconcile unit must finish first (keycloak after traefik).";
          };
          reconcileOnSwitch = mkOption {
            type = types.bool;
            default = true;
            description = "Whether the reconcile oneshot exists (false: reconcile by hand, `warm reconcile <name>`).";
          };
        };
      }));
    };

    abra = {
      package = mkOption {
        type = types.nullOr types.package;
        default = null;
        description = "abra package; when set, JSON `abra.executable` is its `lib.getExe`.";
      };
      executable = mkOption {
        type = types.nonEmptyStr;
        default = "abra";
        description = "abra binary (name on PATH or absolute path) when {option}`abra.package` is null.";
      };
      abraDir = mkOption {
        type = types.nullOr absolutePath;
        default = null;
        description = "ABRA_DIR for abra; null means .abra in the service user's home, passed to abra as ABRA_DIR.";
      };
      server = mkOption {
        type = types.nonEmptyStr;
        default = "default";
        description = "abra server apps are created on.";
      };
      noDomainChecks = mkOption {
        type = types.bool;
        default = true;
        description = "Pass --no-domain-checks (CI domains usually have no public DNS).";
      };
      extraDeployFlags = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Extra flags appended to every `abra app deploy`.";
      };
    };

    swarm = {
      recipesDir = mkOption {
        type = types.nullOr absolutePath;
        default = null;
        description = "Recipe checkouts of the swarm adapter; null means <stateDir>/recipes.";
      };
      appsDir = mkOption {
        type = types.nullOr absolutePath;
        default = null;
        description = "Per-app env files of the swarm adapter; null means <stateDir>/apps.";
      };
    };

    keycloak = {
      url = mkOption {
        type = types.nullOr (types.strMatching "https?://.+");
        default = null;
        example = "https://auth.ci.example.org";
        description = "Base URL of the live-warm Keycloak; null means per-run SSO realms are not configured.";
      };
      adminRealm = mkOption { type = types.nonEmptyStr; default = "master"; description = "Admin realm."; };
      grant = mkOption {
        type = types.enum [ "password" "client_credentials" ];
        default = "password";
        description = "`password` (admin-cli) or `client_credentials` (a service account).";
      };
      username = mkOption { type = types.nonEmptyStr; default = "admin"; description = "Admin user (password grant)."; };
      clientId = mkOption { type = types.nonEmptyStr; default = "admin-cli"; description = "OAuth client id."; };
      secretFile = mkOption {
        # A string, not a Nix path: a path literal would be copied into the world-readable store.
        type = types.nullOr absolutePath;
        default = null;
        example = "/run/secrets/keycloak-admin";
        description = ''
          File holding the admin password or client secret, read at run time by the service user (e.g. from
          sops-nix or agenix). Only the path is in the store, never the secret. Required when {option}`keycloak.url`
          is set.
        '';
      };
      realmTtlMinutes = positive 360 "Realms older than this are reaped even when their run looks alive.";
      redirectUris = mkOption {
        type = types.listOf types.nonEmptyStr;
        default = [ "https://{domain}/*" ];
        description = "Redirect URIs of per-run clients; {domain} is the run's domain.";
      };
      requestTimeoutSeconds = positive 30 "Bound on each Keycloak HTTP request.";
    };

    notify = mkOption {
      default = [ ];
      description = ''
        Alert channels (JSON `notify`). Everything here lands in the world-readable Nix store: put tokens in a
        command channel that reads them from a file, not in webhook headers.
      '';
      type = types.listOf (types.submodule {
        options = {
          type = mkOption { type = types.enum [ "command" "webhook" ]; description = "Channel kind. Required."; };
          command = mkOption {
            type = types.listOf types.str;
            default = [ ];
            description = "argv of a command channel (the alert JSON on stdin).";
          };
          url = mkOption {
            type = types.nullOr (types.strMatching "https?://.+");
            default = null;
            description = "Webhook URL (lands in the world-readable store: use urlFile when it holds a token).";
          };
          urlFile = mkOption {
            # A string, not a Nix path: a path literal would be copied into the store.
            type = types.nullOr absolutePath;
            default = null;
            description = "File holding the webhook URL, read at delivery time (a token in a URL stays out of the store).";
          };
          headersFile = mkOption {
            type = types.nullOr absolutePath;
            default = null;
            description = "File of `Name: value` lines, extra HTTP headers read at delivery time (e.g. an auth token).";
          };
          format = mkOption { type = types.enum [ "json" "ntfy" ]; default = "json"; description = "Webhook body."; };
          headers = mkOption { type = types.attrsOf types.str; default = { }; description = "Extra HTTP headers."; };
          timeoutSeconds = positive 20 "Bound on one delivery attempt.";
        };
      });
    };

    timeouts = {
      deploySeconds = positive 600 "One deploy command (abra converge checks included).";
      undeploySeconds = positive 180 "Waiting until no task or container of a stack remains.";
      healthSeconds = positive 300 "Waiting for convergence and health after a deploy.";
      healthUrlSeconds = positive 60 ''
        Waiting for an infra app's healthUrl to answer 2xx once Swarm calls the deploy healthy (the app already passed
        its container healthcheck); a 503 upgrade rolls back after this, not after a second healthSeconds.
      '';
      lockWaitSeconds = positive 1800 "Waiting for another operation on the same app (not used by reconcile).";
      commandSeconds = positive 120 "Default bound for other external commands.";
      testSeconds = positive 3600 "The runner's assertion command in a quick run.";
    };

    reconcile.timeoutStartSec = mkOption {
      type = types.strMatching "[1-9][0-9]* *(s|sec|m|min|h|hr)?";
      default = "30min";
      description = ''
        Bound of one reconcile (and of the recover) oneshot; `nixos-rebuild switch` waits for it. Keep it above
        deploy + undeploy + health + healthUrl (+ a rollback) of the slowest infra app. Forms: N, Ns, Nmin, Nh.
      '';
    };
    reconcile.onSwitch = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Whether boot and every `nixos-rebuild switch` reconcile the infra apps to their latest gated release.
        false: a switch never upgrades infra; the units stay for `systemctl start cc-ci-warm-reconcile-<name>`,
        and the nightly's rebuild still reconciles.
      '';
    };
    reconcile.switchTimeoutSeconds = mkOption {
      type = types.ints.positive;
      default = 7200;
      description = ''
        Bound of everything a switch may wait for: recover plus every reconcile oneshot, each at most
        {option}`reconcile.timeoutStartSec`. Evaluation fails when their sum exceeds it.
      '';
    };
    prune = scheduleOptions "prune" "*-*-* 06:30:00" "1h" // {
      deenrolledGraceMinutes = mkOption {
        type = types.ints.unsigned;
        default = 10080;
        description = "A de-enrolled recipe's canonical, and the state of an infra app removed from infra, is removed this long after prune first saw it missing.";
      };
      deadRunAgeMinutes = positive 360 "Age after which a per-run app that warm did not start is taken as dead.";
      realmGraceMinutes = mkOption {
        type = types.ints.unsigned;
        default = 30;
        description = "A dead run's realm is kept this long.";
      };
      imagePruneAbovePercent = mkOption {
        type = types.ints.between 1 100;
        default = 80;
        description = "Dangling Docker images are pruned only above this usage of Docker's filesystem.";
      };
      sentAlertAgeDays = positive 90 "A delivered alert (alerts/sent/) is removed this long after it was last written.";
      gateNoteAgeDays = positive 30 "A fetched upstream note (gate-cache/) unused this long is removed (fetched again when needed).";
    };
    ssoReap = scheduleOptions "sso reap" "hourly" "15min" // {
      graceMinutes = mkOption {
        type = types.ints.unsigned;
        # One grace for both reapers: warm prune judges realms by prune.realmGraceMinutes.
        default = cfg.prune.realmGraceMinutes;
        defaultText = literalExpression "config.services.cc-ci-warm.prune.realmGraceMinutes";
        description = ''
          `warm sso reap --grace-minutes`: a realm of a run whose stack is gone is kept this long (a run makes its
          realm before it deploys). Realms older than {option}`keycloak.realmTtlMinutes` go regardless.
        '';
      };
    };
    alertsDeliver = scheduleOptions "alerts deliver" "*:0/15" "10min";

    nightly = scheduleOptions "nightly" "*-*-* 02:00:00" "10h" // {
      enable = mkOption {
        type = types.bool;
        default = false;
        description = ''
          Whether to run `warm nightly` from a systemd timer: rebuild (the infra apps to their latest gated
          release), then a serial cold sweep of every enrolled recipe through {option}`nightly.coldCommand`,
          promoting each green one. Needs at least one enrolled recipe and a cold command.
        '';
      };
      coldCommand = mkOption {
        type = types.listOf types.nonEmptyStr;
        default = [ ];
        example = [ "/run/current-system/sw/bin/run_recipe_ci.py" "--recipe" "{recipe}" "--cold" "--result" "{file}" ];
        description = ''
          The cold run of one recipe as an argv: `{recipe}` becomes the recipe, `{file}` the cold-result JSON the
          command must write. `warm cold --recipe {recipe} --result {file}` is one (no CI runner needed).
        '';
      };
      recipeTimeoutSeconds = positive 3600 "Bound on one recipe's cold command.";
      maxTests = mkOption {
        type = types.nullOr types.ints.positive;
        default = null;
        description = "Most recipes swept in one night (enrolment order); null: all.";
      };
      waitSeconds = positive 3600 "How long the sweep waits for a recipe's in-flight run before skipping it.";
      rebuildCommand = mkOption {
        type = types.listOf types.nonEmptyStr;
        default = [ ];
        description = "The rebuild step as an argv; empty (the default): the nightly reconciles the infra apps itself.";
      };
    };

    disk = {
      budgetBytes = mkOption {
        type = types.nullOr types.ints.positive;
        default = null;
        description = "Disk budget of warm data (volumes + snapshots, by allocated extents) in bytes; or budgetPercent.";
      };
      budgetPercent = mkOption {
        type = types.nullOr (types.ints.between 1 100);
        default = null;
        description = "Disk budget as a share of the filesystem holding the state root; or budgetBytes.";
      };
      warnPercent = mkOption {
        type = types.ints.between 1 100;
        default = 80;
        description = "Share of the budget at which `warm status` warns.";
      };
    };

    gate = {
      context = mkOption {
        type = types.attrsOf types.bool;
        default = { };
        example = { kubernetes = true; "docker swarm" = true; };
        description = ''
          Platforms and integrations this deployment uses (true) or does not (false), added to or overriding the
          upgrade gate's defaults (Docker Swarm used; Kubernetes, Helm, OpenShift, … not). A release-note item
          about only unused ones does not hold an upgrade. Whole words, case-insensitive.
        '';
      };
      markers = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "rotate the OIDC secret" ];
        description = "Extra phrases that make a release note hold an upgrade wherever they appear (literal, case-insensitive).";
      };
      autoApply = mkOption {
        type = types.enum [ "minor" "patch" ];
        default = "minor";
        example = "patch";
        description = ''
          The largest recipe step the upgrade gate lets the release notes decide (gate.autoApply). "minor" (the
          default): a major step holds, minor and patch steps are decided by the notes. "patch": a minor step holds
          too, so only patch steps are applied unattended. The step is read from the recipe version (before the +)
          over the whole range: an upgrade crossing a minor release holds under "patch" even when its last release
          is a patch. See docs/gate.md "Limiting unattended upgrades by step".
        '';
      };
    };

    status.textfile = mkOption {
      type = types.nullOr absolutePath;
      default = null;
      example = "/var/lib/prometheus-node-exporter-text-files/cc-ci-warm.prom";
      description = "Where `warm status` writes its Prometheus textfile (node_exporter's textfile collector).";
    };

    extraConfig = mkOption {
      type = types.attrsOf types.anything;
      default = { };
      example = literalExpression ''{ keycloak.secretCommand = [ "cat" "/run/secrets/kc" ]; }'';
      description = ''
        Merged (recursively, winning) into the generated JSON: the escape hatch for record fields this module
        has no option for. Keys must still be known to the Java loader, which rejects unknown keys.
      '';
    };
  };

  config = mkIf cfg.enable {
    assertions =
      [
        {
          assertion = cfg.keycloak.url == null || cfg.keycloak.secretFile != null
            || (cfg.extraConfig.keycloak or { }) ? secretCommand;
          message = "services.cc-ci-warm.keycloak.secretFile is required when keycloak.url is set.";
        }
        {
          assertion = cfg.keycloak.secretFile == null || !(lib.hasPrefix "/nix/store/" cfg.keycloak.secretFile);
          message = "services.cc-ci-warm.keycloak.secretFile must not be in the Nix store (it is world-readable).";
        }
        {
          assertion = !cfg.nightly.enable || (cfg.recipes != { } && cfg.nightly.coldCommand != [ ]);
          message = "services.cc-ci-warm.nightly.enable needs at least one enrolled recipe and nightly.coldCommand: a sweep that tests nothing is an error.";
        }
        {
          assertion = cfg.nightly.coldCommand == [ ] || builtins.any (a: builtins.replaceStrings [ "{file}" ] [ "" ] a != a) cfg.nightly.coldCommand;
          message = "services.cc-ci-warm.nightly.coldCommand must pass {file}, where the command writes its cold result.";
        }
        {
          assertion = cfg.disk.budgetBytes == null || cfg.disk.budgetPercent == null;
          message = "services.cc-ci-warm.disk: set budgetBytes or budgetPercent, not both.";
        }
        {
          assertion = cfg.user != "root" || cfg.group == "root";
          message = "services.cc-ci-warm: user = \"root\" needs group = \"root\".";
        }
        {
          # abra is not on the units' PATH by default: a bare name would fail the first deploy, at 03:00.
          assertion = cfg.platform != "abra" || cfg.abra.package != null || lib.hasPrefix "/" cfg.abra.executable;
          message = "services.cc-ci-warm: platform = \"abra\" needs abra.package (or an absolute abra.executable): abra is not on the units' PATH.";
        }
        {
          assertion = config.virtualisation.docker.enable;
          message = "services.cc-ci-warm needs virtualisation.docker.enable = true (every unit drives Docker Swarm and orders itself after docker.service).";
        }
        {
          assertion = switchSeconds != null && switchSeconds <= cfg.reconcile.switchTimeoutSeconds;
          message = "services.cc-ci-warm: a switch may wait ${toString (builtins.length switchUnits)} x reconcile.timeoutStartSec (${cfg.reconcile.timeoutStartSec}: recover + ${toString (builtins.length switchUnits - 1)} reconcile units) = ${toString switchSeconds} s, above reconcile.switchTimeoutSeconds (${toString cfg.reconcile.switchTimeoutSeconds}); lower the one or raise the other.";
        }
      ]
      ++ map (n: {
        assertion = validName n;
        message = "services.cc-ci-warm: invalid name '${n}': use lowercase letters, digits, '-' and '_' (at most 64, no '/' or '..').";
      }) (builtins.attrNames cfg.recipes ++ builtins.attrNames cfg.infra
          ++ lib.mapAttrsToList (_: a: a.recipe) cfg.infra)
      ++ map (c: {
        assertion = !(infraByDomain ? ${c.domain});
        message = "services.cc-ci-warm.recipes.${c.recipe}: canonical domain '${c.domain}' equals the domain of infra app '${infraByDomain.${c.domain} or ""}': a canonical must never collide with a live-warm app.";
      }) canonicals
      ++ map (c: {
        assertion = builtins.length (builtins.filter (o: o.domain == c.domain) canonicals) == 1;
        message = "services.cc-ci-warm.recipes.${c.recipe}: canonical domain '${c.domain}' is used by two recipes.";
      }) canonicals
      ++ lib.mapAttrsToList (n: a: {
        assertion = builtins.length (builtins.filter (o: o.domain == a.domain) (builtins.attrValues cfg.infra)) == 1;
        message = "services.cc-ci-warm.infra.${n}: domain '${a.domain}' is used by two infra apps.";
      }) cfg.infra
      ++ lib.mapAttrsToList (n: a: {
        assertion = a.upstreamNotes == null || (a.upstreamNotes.directory == null) != (a.upstreamNotes.urlTemplate == null);
        message = "services.cc-ci-warm.infra.${n}.upstreamNotes: give exactly one of directory or urlTemplate.";
      }) cfg.infra
      ++ lib.mapAttrsToList (n: a: {
        assertion = builtins.all (o: cfg.infra ? ${o} && o != n) a.after;
        message = "services.cc-ci-warm.infra.${n}.after: ${builtins.toJSON a.after} must name other infra apps (known: ${builtins.toJSON (builtins.attrNames cfg.infra)}).";
      }) cfg.infra
      ++ map (n: {
        assertion = n.type != "webhook" || (n.url != null) != (n.urlFile != null);
        message = "services.cc-ci-warm.notify: a webhook channel needs exactly one of url and urlFile.";
      }) cfg.notify
      ++ map (f: {
        assertion = !(lib.hasPrefix "/nix/store/" f);
        message = "services.cc-ci-warm.notify: ${f} is in the Nix store (world-readable); urlFile and headersFile hold secrets.";
      }) (builtins.filter (f: f != null) (builtins.concatMap (n: [ n.urlFile n.headersFile ]) cfg.notify))
      ++ map (n: {
        assertion = n.type != "command" || n.command != [ ];
        message = "services.cc-ci-warm.notify: a command channel needs a non-empty command.";
      }) cfg.notify;

    warnings = lib.optional (builtins.any (n: n.headers != { }) cfg.notify)
      "services.cc-ci-warm.notify: webhook headers are stored in the world-readable Nix store; do not put tokens there.";

    environment.etc."cc-ci-warm/config.json".source = configFile;
    # `warm config check`, `warm snapshots --app`, `warm alerts` for operators (run as the service user: the state
    # dir is 0700); cc-ci-warm-quick for the runner (through sudo, see runner.users).
    environment.systemPackages = [ cfg.package quickLauncher ];

    users.users = lib.optionalAttrs createUser {
      ${cfg.user} = {
        isSystemUser = true;
        inherit (cfg) uid group;
        extraGroups = [ cfg.dockerGroup ];
        # abra's ~/.abra (abra.abraDir null) lives in the state root.
        home = cfg.stateDir;
        createHome = false;
        description = "cc-ci-warm service user";
      };
    } // lib.listToAttrs (map (u: lib.nameValuePair u { extraGroups = [ cfg.runner.group ]; }) cfg.runner.users);
    users.groups = lib.optionalAttrs createGroup { ${cfg.group}.gid = cfg.gid; }
      // lib.optionalAttrs (cfg.runner.users != [ ]) { ${cfg.runner.group} = { }; };

    # The runner's quick lane: members of runner.group may run the launcher as root, which drops to the service
    # user with the volume capabilities (docs/nixos.md, "The CI runner").
    security.sudo.extraRules = lib.optional (cfg.runner.users != [ ]) {
      groups = [ cfg.runner.group ];
      runAs = "root";
      commands = [ { command = "${quickLauncher}/bin/cc-ci-warm-quick"; options = [ "NOPASSWD" ]; } ];
    };

    # ReadWritePaths must exist before a unit starts. Only the state root itself: `d` creates it and sets its own
    # mode and owner, never recursively (no Z/z rule: the volumes and snapshots below keep the container uids).
    systemd.tmpfiles.rules = [ "d ${cfg.stateDir} 0700 ${cfg.user} ${cfg.group} -" ];

    systemd.services = lib.mkMerge [
      {
        ${unitName "recover"} = baseService "cc-ci-warm: finish or roll back operations a killed run left" {
          # Once per boot, before everything else. RemainAfterExit + restartIfChanged=false: a switch must not
          # run it while an operation is in flight (a quick run, a prune: it would see that run's live journal).
          wantedBy = [ "multi-user.target" ];
          before = map (n: "${n}.service") (builtins.attrNames reconcileServices ++ builtins.attrNames timers);
          # A switch restarts nothing here, but starts a recover that FAILED earlier in this boot (it is wanted by
          # multi-user.target and not active): --skip-busy keeps that re-run away from live operations.
          restartIfChanged = false;
          serviceConfig = common // {
            Type = "oneshot";
            RemainAfterExit = true;
            # --skip-busy: an app whose lock is held belongs to a live operation (a nightly a later switch finds
            # running), not to a killed one; recover leaves it instead of waiting for it or touching its journal.
            ExecStart = warmCommand "recover --skip-busy";
            TimeoutStartSec = cfg.reconcile.timeoutStartSec;
          };
        };
      }
      reconcileServices
      timedServices
    ];

    systemd.timers = timers;
  };
}
