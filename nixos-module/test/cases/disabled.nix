# enable = false: nothing is generated, and required options (ciDomain) are not demanded (mkIf is lazy).
{ services.cc-ci-warm.enable = false; }
