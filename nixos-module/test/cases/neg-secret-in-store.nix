# expect: secretFile must not be in the Nix store
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    keycloak = { url = "https://auth.ci.example.org"; secretFile = "/nix/store/0000-kc-secret"; }; }; }
