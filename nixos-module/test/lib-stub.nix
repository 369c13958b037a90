# A small stand-in for the parts of nixpkgs `lib` that nixos-module/module.nix uses, so the module can be
# evaluated offline with Debian's nix-bin (no nixpkgs is reachable from CI). It is NOT nixpkgs lib: it keeps only
# the semantics the module relies on and the checks a real evaluation would make, so that an error here is an
# error on a real host too:
#   - options are declared with mkOption and every definition must hit a declared option (typo -> error);
#   - mkIf is pushed down to the leaves WITHOUT forcing its condition, so `config = mkIf cfg.enable {...}` does
#     not recurse forever through the fixed point (the crucial trick of the real module system);
#   - mkMerge flattens, mkDefault/mkForce/option defaults resolve by priority (lower number wins);
#   - every leaf value is type-checked; a missing required value or conflicting values are errors;
#   - submodules (attrsOf submodule, listOf submodule) are evaluated with the same engine, `name` passed in.
# Error messages copy the wording of nixpkgs ("The option `a.b' does not exist", "... is used but not defined",
# "... is not of type `...'") so the negative tests read the same as on a real host.
let
  inherit (builtins) attrNames concatMap elem filter foldl' genList head isAttrs isBool isFunction isInt isList
    isString isPath length listToAttrs mapAttrs tail toJSON typeOf all any concatStringsSep hasAttr;

  showLoc = loc: concatStringsSep "." loc;
  showFiles = defs: concatStringsSep ", " (map (d: d.file) defs);

  # ---- properties -------------------------------------------------------------------------------------------
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;
  optionDefaultPriority = 1500;

  # Flattens mkMerge and pushes mkIf into the attributes of an attrset definition, without forcing conditions.
  # Returns a list of plain attrsets whose values may still carry mkIf/mkOverride wrappers.
  pushDown = v:
    if isAttrs v && v ? _type then
      if v._type == "merge" then concatMap pushDown v.contents
      else if v._type == "if" then
        map (a: mapAttrs (_: x: mkIf v.condition x) a) (pushDown v.content)
      else if v._type == "override" then
        map (a: mapAttrs (_: x: mkOverride v.priority x) a) (pushDown v.content)
      else [ v ]
    else if isAttrs v then [ v ]
    else throw "a definition that should be an attribute set is a ${typeOf v}";

  # Resolves the wrappers of one leaf definition: returns a list of { value; priority; } (empty when an mkIf is false).
  discharge = prio: v:
    if isAttrs v && v ? _type then
      if v._type == "merge" then concatMap (discharge prio) v.contents
      else if v._type == "if" then
        (if !(isBool v.condition) then throw "mkIf called with a non-Boolean condition"
         else if v.condition then discharge prio v.content else [ ])
      else if v._type == "override" then discharge v.priority v.content
      else [ { value = v; priority = prio; } ]
    else [ { value = v; priority = prio; } ];

  # ---- options ----------------------------------------------------------------------------------------------
  isOption = x: isAttrs x && (x._type or null) == "option";
  mkOption = args: args // { _type = "option"; };
  mkEnableOption = what: mkOption {
    type = types.bool; default = false; example = true; description = "Whether to enable ${what}.";
  };
  literalExpression = text: { _type = "literalExpression"; inherit text; };

  # Merges one option's definitions ({ file; value; } list, wrappers still on) into its value.
  mergeOption = loc: opt: defs:
    let
      resolved = concatMap (d: map (r: r // { inherit (d) file; }) (discharge 100 d.value)) defs;
      withDefault = resolved
        ++ (if opt ? default then [ { file = "default"; value = opt.default; priority = optionDefaultPriority; } ] else [ ]);
      best = foldl' (m: d: if d.priority < m then d.priority else m) 9999 withDefault;
      winners = filter (d: d.priority == best) withDefault;
      type = opt.type or types.anything;
      checked = map (d:
        if type.check d.value then d
        else throw "The option `${showLoc loc}' is not of type `${type.description}'. Definition value in ${d.file}: ${
          builtins.substring 0 200 (toJSON' d.value)}") winners;
      merged = if winners == [ ] then throw "The option `${showLoc loc}' is used but not defined."
        else type.merge loc checked;
    in if opt ? apply then opt.apply merged else merged;

  # Never toJSON a path: that would copy the file into the store (and fail on the dummy store).
  toJSON' = v: if isFunction v then "<function>" else if isPath v then "path ${toString v}" else if isAttrs v && v ? outPath then toString v.outPath
    else if isAttrs v then "{ " + concatStringsSep "; " (map (n: "${n} = ...") (attrNames v)) + "; }"
    else toJSON v;

  # Walks the declaration tree: every defined name must be declared (else "does not exist").
  evalTree = loc: decls: defs:
    let
      pushed = concatMap (d: map (a: { inherit (d) file; value = a; }) (pushDown d.value)) defs;
      defsOf = n: concatMap (p: if p.value ? ${n} then [ { inherit (p) file; value = p.value.${n}; } ] else [ ]) pushed;
      unknown = concatMap (p: map (n: { inherit n; inherit (p) file; }) (filter (n: !(decls ? ${n})) (attrNames p.value))) pushed;
      result = mapAttrs (n: d:
        if isOption d then mergeOption (loc ++ [ n ]) d (defsOf n)
        else evalTree (loc ++ [ n ]) d (defsOf n)) decls;
    in
      if unknown != [ ] then
        let u = head unknown; in
        throw "The option `${showLoc (loc ++ [ u.n ])}' does not exist. Definition values in ${u.file}."
      else result;

  # Merges option declaration trees from several modules.
  mergeDecls = a: b: a // mapAttrs (n: v:
    if a ? ${n} then
      (if isOption v || isOption a.${n} then throw "The option `${n}' is declared twice" else mergeDecls a.${n} v)
    else v) b;

  # The fixed point: modules see the final `config` they help define.
  # `prefix` is the location of a submodule, so its errors name the full option path.
  evalModules = { modules, specialArgs ? { }, prefix ? [ ] }:
    let
      collect = m: file:
        let
          f = if isPath m then import m else m;
          r = if isFunction f then f ({ inherit config lib options; } // specialArgs) else f;
          r' = if r ? options || r ? config || r ? imports then r else { config = r; };
          fileName = if isPath m then toString m else (r'._file or file);
        in [ { file = fileName; options = r'.options or { }; config = r'.config or { }; } ]
          ++ concatMap (i: collect i fileName) (r'.imports or [ ]);
      all' = concatMap (m: collect m "<module ${toString (length modules)}>") modules;
      options = foldl' mergeDecls { } (map (m: m.options) all');
      config = evalTree prefix options (map (m: { inherit (m) file; value = m.config; }) all');
    in { inherit config options; };

  # ---- types ------------------------------------------------------------------------------------------------
  mergeEqual = loc: defs:
    let v = (head defs).value; in
    if all (d: d.value == v) defs then v
    else throw "The option `${showLoc loc}' has conflicting definition values: ${
      concatStringsSep "; " (map (d: "${toJSON' d.value} in ${d.file}") defs)}";
  mkType = description: check: { inherit description check; merge = mergeEqual; };
  isDerivationLike = x: isAttrs x && x ? outPath;

  # Recursive merge of plain data (JSON-like values): attrsets merge key by key, anything else must agree.
  mergeAnything = loc: defs:
    if all (d: isAttrs d.value && !(d.value ? outPath)) defs then
      let names = attrNames (foldl' (a: d: a // d.value) { } defs); in
      listToAttrs (map (n: {
        name = n;
        value = let sub = concatMap (d: if d.value ? ${n} then
          map (r: r // { inherit (d) file; }) (discharge 100 d.value.${n}) else [ ]) defs;
          best = foldl' (m: d: if d.priority < m then d.priority else m) 9999 sub;
        in mergeAnything (loc ++ [ n ]) (filter (d: d.priority == best) sub);
      }) names)
    else if all (d: isList d.value) defs then concatMap (d: d.value) defs
    else mergeEqual loc defs;

  types = rec {
    bool = mkType "boolean" isBool;
    int = mkType "signed integer" isInt;
    ints = {
      positive = mkType "positive integer, meaning >0" (x: isInt x && x > 0);
      unsigned = mkType "unsigned integer, meaning >=0" (x: isInt x && x >= 0);
      between = lo: hi: mkType "integer between ${toString lo} and ${toString hi} (both inclusive)"
        (x: isInt x && x >= lo && x <= hi);
    };
    str = mkType "string" isString;
    nonEmptyStr = mkType "non-empty string" (x: isString x && builtins.match "[ \t\n]*" x == null);
    strMatching = re: mkType "string matching the pattern ${re}" (x: isString x && builtins.match re x != null);
    path = mkType "path" (x: isPath x || (isString x && builtins.substring 0 1 x == "/") || isDerivationLike x);
    package = mkType "package" isDerivationLike;
    enum = vs: mkType "one of ${concatStringsSep ", " (map toJSON vs)}" (x: elem x vs);
    anything = { description = "anything"; check = _: true; merge = mergeAnything; };
    attrs = { description = "attribute set"; check = isAttrs; merge = mergeAnything; };
    nullOr = t: {
      description = "null or ${t.description}";
      check = x: x == null || t.check x;
      merge = loc: defs:
        if all (d: d.value == null) defs then null
        else if any (d: d.value == null) defs then
          throw "The option `${showLoc loc}' is defined both null and not null, in ${showFiles defs}."
        else t.merge loc defs;
    };
    either = a: b: {
      description = "${a.description} or ${b.description}";
      check = x: a.check x || b.check x;
      merge = loc: defs: if all (d: a.check d.value) defs then a.merge loc defs else b.merge loc defs;
    };
    listOf = t: {
      description = "list of ${t.description}";
      check = isList;
      merge = loc: defs: concatMap (d: genList (i:
        let x = builtins.elemAt d.value i; l = loc ++ [ "[${toString i}]" ]; in
        if t.check x then t.merge l [ { inherit (d) file; value = x; } ]
        else throw "The option `${showLoc l}' is not of type `${t.description}'. Definition value in ${d.file}: ${
          toJSON' x}") (length d.value)) defs;
    };
    attrsOf = t: {
      description = "attribute set of ${t.description}";
      check = isAttrs;
      merge = loc: defs:
        let
          pushed = concatMap (d: map (a: { inherit (d) file; value = a; }) (pushDown d.value)) defs;
          names = attrNames (foldl' (a: p: a // p.value) { } pushed);
          forName = n: concatMap (p: if p.value ? ${n} then [ { inherit (p) file; value = p.value.${n}; } ] else [ ]) pushed;
          present = filter (n: (forNameResolved n) != [ ]) names;
          forNameResolved = n: concatMap (d: map (r: r // { inherit (d) file; }) (discharge 100 d.value)) (forName n);
        in listToAttrs (map (n: { name = n; value = mergeOption (loc ++ [ n ]) { type = t; } (forName n); }) present);
    };
    # A submodule: `opts` is a module (attrset or function of { name, config, lib, ... }).
    submodule = opts: {
      description = "submodule";
      check = x: isAttrs x || isFunction x;
      merge = loc: defs: (evalModules {
        modules = [ opts ] ++ map (d: { _file = d.file; config = d.value; }) defs;
        specialArgs = { name = lib.last loc; };
        prefix = loc;
      }).config;
    };
  };

  # ---- list / attrset / string helpers ----------------------------------------------------------------------
  lib = {
    inherit mkIf mkMerge mkOverride mkDefault mkForce mkOption mkEnableOption literalExpression types evalModules;
    inherit (builtins) attrNames attrValues concatStringsSep elem filter length listToAttrs mapAttrs toJSON;
    last = l: builtins.elemAt l (length l - 1);
    optional = c: x: if c then [ x ] else [ ];
    optionals = c: xs: if c then xs else [ ];
    optionalAttrs = c: a: if c then a else { };
    nameValuePair = name: value: { inherit name value; };
    mapAttrs' = f: a: listToAttrs (map (n: f n a.${n}) (attrNames a));
    mapAttrsToList = f: a: map (n: f n a.${n}) (attrNames a);
    filterAttrs = p: a: listToAttrs (concatMap (n: if p n a.${n} then [ { name = n; value = a.${n}; } ] else [ ]) (attrNames a));
    hasPrefix = p: s: builtins.substring 0 (builtins.stringLength p) s == p;
    removePrefix = p: s:
      let lp = builtins.stringLength p; in
      if builtins.substring 0 lp s == p then builtins.substring lp (builtins.stringLength s - lp) s else s;
    recursiveUpdate = a: b: a // mapAttrs (n: v:
      if a ? ${n} && isAttrs v && isAttrs a.${n} then lib.recursiveUpdate a.${n} v else v) b;
    unique = foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];
    toLower = builtins.replaceStrings
      [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ]
      [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ];
    getExe' = p: exe: "${p}/bin/${exe}";
    getExe = p: "${p}/bin/${p.meta.mainProgram or (throw "getExe: package has no meta.mainProgram")}";
    makeBinPath = ps: concatStringsSep ":" (map (p: "${p}/bin") ps);
    fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };
in lib
