# platform = "abra" (the default) with abra neither packaged nor absolute: the units' PATH has no abra.
# expect: platform = "abra" needs abra.package (or an absolute abra.executable)
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; }; }
