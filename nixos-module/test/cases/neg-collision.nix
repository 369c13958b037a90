# expect: canonical domain 'auth.ci.example.org' equals the domain of infra app 'keycloak'
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org";
    recipes.wordpress.domain = "auth.ci.example.org"; infra.keycloak.domain = "auth.ci.example.org"; }; }
