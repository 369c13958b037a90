# Self-test of the stand-in lib (lib-stub.nix): the module-system semantics module.nix relies on, each an
# expected value. run.sh evaluates this and requires every entry to be true.
let
  lib = import ./lib-stub.nix;
  inherit (lib) mkOption mkIf mkMerge mkDefault mkForce types;
  eval = modules: (lib.evalModules { inherit modules; }).config;
  decl = {
    options = {
      a = mkOption { type = types.int; default = 1; };
      s = mkOption { type = types.attrsOf types.int; default = { }; };
      l = mkOption { type = types.listOf types.str; default = [ ]; };
      n = mkOption { type = types.nullOr types.str; default = null; };
      sub = mkOption {
        default = { };
        type = types.attrsOf (types.submodule ({ name, ... }: {
          options.label = mkOption { type = types.str; default = "x-${name}"; };
        }));
      };
      x.enable = lib.mkEnableOption "x";
    };
  };
in
{
  defaultApplies = (eval [ decl ]).a == 1;
  mkDefaultBeatsOptionDefault = (eval [ decl { a = mkDefault 2; } ]).a == 2;
  plainBeatsMkDefault = (eval [ decl { a = mkDefault 2; } { a = 3; } ]).a == 3;
  mkForceBeatsPlain = (eval [ decl { a = 3; } { a = mkForce 4; } ]).a == 4;
  mkIfFalseDropsAttr = (eval [ decl { s = { k = mkIf false 1; j = 2; }; } ]).s == { j = 2; };
  mkIfTrueKeepsAttr = (eval [ decl { s = mkIf true { k = 1; }; } ]).s == { k = 1; };
  mkMergeMerges = (eval [ decl { s = mkMerge [ { k = 1; } (mkIf true { j = 2; }) (mkIf false { z = 3; }) ]; } ]).s
    == { j = 2; k = 1; };
  listsConcatenate = (eval [ decl { l = [ "a" ]; } { l = [ "b" ]; } ]).l == [ "a" "b" ];
  nullOrNull = (eval [ decl ]).n == null;
  submoduleGetsName = (eval [ decl { sub.foo = { }; } ]).sub.foo.label == "x-foo";
  # The fixed point: a config that depends on itself through mkIf, disabled, must not loop.
  mkIfIsLazy = (eval [ decl ({ config, ... }: { config = mkIf config.x.enable { a = config.a + 1; }; }) ]).a == 1;
  mkIfEnabledSeesConfig = (eval [ decl { x.enable = true; }
    ({ config, ... }: { config = mkIf config.x.enable { l = [ "on" ]; }; }) ]).l == [ "on" ];
}
