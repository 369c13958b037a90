# Declarations of the few NixOS options module.nix defines or reads (systemd, users, environment.etc, assertions,
# warnings, security.sudo, virtualisation.docker),
# so that the stand-in module system can check every definition against a declared option. Values are kept as
# plain data; render-units.py turns systemd.services/timers into unit files the way NixOS does (reference A2).
{ lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  data = mkOption { type = types.attrsOf types.anything; default = { }; };
in
{
  options = {
    assertions = mkOption { type = types.listOf types.anything; default = [ ]; };
    warnings = mkOption { type = types.listOf types.str; default = [ ]; };
    environment.etc = data;
    environment.systemPackages = mkOption { type = types.listOf types.package; default = [ ]; };
    users.users = data;
    users.groups = data;
    systemd.services = data;
    systemd.timers = data;
    systemd.tmpfiles.rules = mkOption { type = types.listOf types.str; default = [ ]; };
    security.sudo.extraRules = mkOption { type = types.listOf types.anything; default = [ ]; };
    # As NixOS: off by default; the package option's default is pkgs.docker.
    virtualisation.docker.enable = mkOption { type = types.bool; default = false; };
    virtualisation.docker.package = mkOption { type = types.package; default = pkgs.docker; };
  };
}
