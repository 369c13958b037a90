# expect: The option `services.cc-ci-warm.ciDomain' has conflicting definition values
{ imports = [
    { services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; }; }
    { services.cc-ci-warm.ciDomain = "ci.example.net"; }
  ]; }
