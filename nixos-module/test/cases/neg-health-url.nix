# The reconciler probes healthUrl after a deploy: it must be an http(s) URL ({domain} allowed).
# expect: The option `services.cc-ci-warm.infra.keycloak.healthUrl' is not of type
{ virtualisation.docker.enable = true; services.cc-ci-warm = { enable = true; platform = "swarm"; ciDomain = "ci.example.org"; recipes.wordpress = { };
    infra.keycloak = { domain = "auth.ci.example.org"; healthUrl = "auth.ci.example.org/health"; }; }; }
