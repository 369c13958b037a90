# Every deploy of a recipe probes its healthUrl: it must be an http(s) URL ({domain} allowed).
# expect: The option `services.cc-ci-warm.recipes.wordpress.healthUrl' is not of type
{ virtualisation.docker.enable = true; services.cc-ci-warm = { enable = true; platform = "swarm"; ciDomain = "ci.example.org";
    recipes.wordpress = { healthUrl = "{domain}/wp-login.php"; }; }; }
