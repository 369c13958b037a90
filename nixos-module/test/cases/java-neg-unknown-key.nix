# Module-valid, Java-invalid: extraConfig carries a key no record has; the Java loader must reject it, both when
# run.sh runs `warm config check` and in the config file's build (checkConfig), which fails `nixos-rebuild build`.
# expect-java: unknown key 'bogus'
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; platform = "swarm";
    extraConfig.bogus = 1; }; }
