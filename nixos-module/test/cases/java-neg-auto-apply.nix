# Module-valid, Java-invalid: extraConfig overrides the enum option with a value the Java loader does not know; the
# loader must reject it naming the key and the allowed values, at build time (checkConfig) as in `warm config check`.
# expect-java: gate.autoApply: must be 'minor'
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; platform = "swarm";
    extraConfig.gate.autoApply = "Patch"; }; }
