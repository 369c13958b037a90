# Declarations of the few NixOS options module.nix defines (systemd, users, environment.etc, assertions, warnings),
# so that the stand-in module system can check every definition against a declared option. Values are kept as
# plain data; render-units.py turns systemd.services/timers into unit files the way NixOS does (reference A2).
{ lib, ... }:
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
  };
}
