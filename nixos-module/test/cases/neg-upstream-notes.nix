# Upstream notes come from exactly one place: a directory or a URL template.
# expect: services.cc-ci-warm.infra.keycloak.upstreamNotes: give exactly one of directory or urlTemplate.
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    infra.keycloak = { domain = "auth.ci.example.org"; upstreamNotes = { }; }; }; }
