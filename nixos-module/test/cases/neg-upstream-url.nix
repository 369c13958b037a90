# The URL template must be http(s) and contain {version}.
# expect: The option `services.cc-ci-warm.infra.keycloak.upstreamNotes.urlTemplate' is not of type
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    infra.keycloak = { domain = "auth.ci.example.org";
      upstreamNotes.urlTemplate = "https://github.com/keycloak/keycloak/releases/latest"; }; }; }
