# expect: The option `services.cc-ci-warm.keycloak.secretFile' is not of type
# (a Nix path literal would copy the secret into the world-readable store)
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    keycloak = { url = "https://auth.ci.example.org"; secretFile = ./neg-secret-path-literal.nix; }; }; }
