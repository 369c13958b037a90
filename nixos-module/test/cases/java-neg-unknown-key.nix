# Module-valid, Java-invalid: extraConfig carries a key no record has; the Java loader must reject it.
# expect-java: unknown key 'bogus'
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    extraConfig.bogus = 1; }; }
