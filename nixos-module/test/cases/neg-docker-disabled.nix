# Docker not enabled on the host: the units would order after a docker.service that does not exist.
# expect: services.cc-ci-warm needs virtualisation.docker.enable = true
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; platform = "swarm"; }; }
