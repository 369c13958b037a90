# An acknowledged version is a recipe version, never a path.
# expect: The option `services.cc-ci-warm.infra.keycloak.acknowledged
{ virtualisation.docker.enable = true; services.cc-ci-warm = { enable = true; platform = "swarm"; ciDomain = "ci.example.org"; recipes.wordpress = { };
    infra.keycloak = { domain = "auth.ci.example.org"; acknowledged = [ "../10.0.0" ]; }; }; }
