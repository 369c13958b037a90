# Three reconcile units + recover at 30 min each exceed a one-hour switch budget.
# expect: a switch may wait 4 x reconcile.timeoutStartSec (30min: recover + 3 reconcile units) = 7200 s, above reconcile.switchTimeoutSeconds (3600)
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; platform = "swarm";
    reconcile.switchTimeoutSeconds = 3600;
    infra = { a.domain = "a.ci.example.org"; b.domain = "b.ci.example.org"; c.domain = "c.ci.example.org"; }; }; }
