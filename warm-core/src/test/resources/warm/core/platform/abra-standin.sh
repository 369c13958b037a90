#!/usr/bin/env bash
# Recording stand-in for the `abra` CLI: TEST CODE ONLY (no abra binary exists on this machine).
#
# AbraPlatformIT copies this file to a temporary bin/abra, replacing @LOG@ by the path of its argv log. Every call
# appends one line: ABRA_DIR, then each argument, tab-separated. The argv is checked strictly: `-n` must be present,
# only the subcommands and flags the adapter is expected to use are known, domains must be valid DNS names. Anything
# else prints `FATA unexpected argv: ...` on STDOUT and exits 1, which is how abra reports its fatal errors.
#
# What it does is what abra does, for real, against the real Swarm (see reference/abra.md):
#   recipe fetch R                  FATA (no network here) unless $ABRA_DIR/recipes/R is a git clone
#   app new R --server S --domain D writes $ABRA_DIR/servers/S/D.env from the recipe's .env.sample
#   app secret generate D NAME VER  docker secret create <stack>_<NAME>_<VER> (random value)
#   app deploy D VER -f             checks the tag out in $ABRA_DIR/recipes/R (abra's one shared working tree,
#                                   refusing a dirty tree) and runs `docker stack deploy` with abra's labels
#   app deploy D -C -f              deploys the working tree at $ABRA_DIR/recipes/R as it is (chaos labels)
#   app undeploy D                  docker stack rm, returning at once (before Swarm has removed the tasks)
#   app remove D -f                 deletes the stack's volumes and secrets and the env file
# A version ending in `+broken` makes the deploy fail the way a failed converge check does (FATA deploy failed).
# Unlike abra, deploys do not wait for convergence (as with -c): the adapter waits itself.
set -uo pipefail

LOG='@LOG@'
ABRA_DIR="${ABRA_DIR:-$HOME/.abra}"
{
  printf '%s' "$ABRA_DIR"
  for a in "$@"; do printf '\t%s' "$a"; done
  printf '\n'
} >>"$LOG"

ALL_ARGS="$*"
fata() {
  echo "FATA $*"
  exit 1
}
unexpected() { fata "unexpected argv: $ALL_ARGS${1:+ ($1)}"; }

DOMAIN_RE='^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$'
require_domain() { [[ "$1" =~ $DOMAIN_RE ]] || unexpected "invalid domain '$1'"; }
require_recipe() { [[ "$1" =~ ^[a-z0-9][a-z0-9_-]*$ ]] || unexpected "invalid recipe '$1'"; }
stack_of() { printf '%s' "${1//./_}"; }

# The env file of an app: abra finds an app by scanning every server directory.
env_of() {
  local f
  for f in "$ABRA_DIR"/servers/*/"$1".env; do
    [ -f "$f" ] && { printf '%s' "$f"; return 0; }
  done
  return 1
}
recipe_of_env() {
  local v
  v=$(grep -E '^(TYPE|RECIPE)=' "$1" | head -n 1 | cut -d= -f2- | tr -d '"'"'")
  printf '%s' "${v%%:*}"
}
# SECRET_<NAME>_VERSION=<version> lines as "<name> <version>".
secrets_of_env() {
  grep -E '^SECRET_[A-Z0-9_]+_VERSION=' "$1" | sed -E 's/^SECRET_(.*)_VERSION=["'"'"']?([^"'"'"' ]*).*/\1 \2/' \
    | while read -r n v; do printf '%s %s\n' "$(printf '%s' "$n" | tr 'A-Z' 'a-z')" "$v"; done
}
deployed() { [ -n "$(docker service ls -q --filter "label=com.docker.stack.namespace=$1")" ]; }

# Global flag -n is required: without it abra would prompt.
args=()
noinput=0
for a in "$@"; do
  if [ "$a" = "-n" ] || [ "$a" = "--no-input" ]; then noinput=1; else args+=("$a"); fi
done
[ "$noinput" = 1 ] || unexpected "no -n: abra would prompt"
set -- "${args[@]}"

cmd_recipe_fetch() {
  [ $# -eq 1 ] || unexpected
  require_recipe "$1"
  [ -d "$ABRA_DIR/recipes/$1/.git" ] || fata "unable to clone recipe $1: no network here (stand-in)"
  echo "recipe $1 is up to date"
}

cmd_app_new() {
  local recipe="" server="" domain=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --server | -s) [ $# -ge 2 ] || unexpected; server="$2"; shift 2 ;;
      --domain | -D) [ $# -ge 2 ] || unexpected; domain="$2"; shift 2 ;;
      -*) unexpected "unknown flag $1" ;;
      *) [ -z "$recipe" ] || unexpected "second positional argument"; recipe="$1"; shift ;;
    esac
  done
  [ -n "$recipe" ] && [ -n "$server" ] && [ -n "$domain" ] || unexpected "app new needs recipe, --server and --domain"
  require_recipe "$recipe"
  require_domain "$domain"
  [ -d "$ABRA_DIR/servers/$server" ] || fata "server $server doesn't exist? (abra server add)"
  local rdir="$ABRA_DIR/recipes/$recipe"
  [ -d "$rdir/.git" ] || fata "unable to clone recipe $recipe: no network here (stand-in)"
  env_of "$domain" >/dev/null && fata "$domain already exists"
  local latest
  latest=$(git -C "$rdir" tag --sort=-v:refname | head -n 1)
  local env="$ABRA_DIR/servers/$server/$domain.env"
  if [ -f "$rdir/.env.sample" ]; then
    sed -E -e "s#^(TYPE|RECIPE)=.*#TYPE=$recipe${latest:+:$latest}#" -e "s#^DOMAIN=.*#DOMAIN=$domain#" \
      "$rdir/.env.sample" >"$env" || fata "cannot write $env"
  else
    printf 'TYPE=%s\nDOMAIN=%s\n' "$recipe" "$domain" >"$env"
  fi
  echo "A new $recipe app has been created! $domain"
}

cmd_app_secret_generate() {
  [ $# -eq 3 ] || unexpected "secret generate takes <domain> <secret> <version>"
  local domain="$1" name="$2" version="$3"
  require_domain "$domain"
  [[ "$name" =~ ^[a-z0-9_]+$ ]] && [[ "$version" =~ ^[A-Za-z0-9_.-]+$ ]] || unexpected
  local env
  env=$(env_of "$domain") || fata "cannot find app with name $domain"
  local key="SECRET_$(printf '%s' "$name" | tr 'a-z' 'A-Z')_VERSION"
  grep -qE "^$key=" "$env" || fata "$name doesn't exist in the env config?"
  local full
  full="$(stack_of "$domain")_${name}_${version}"
  [ ${#full} -le 64 ] || fata "secret name $full is too long (max 64)"
  docker secret inspect "$full" >/dev/null 2>&1 && fata "secret $full already exists"
  local out
  out=$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=' | docker secret create "$full" - 2>&1) \
    || fata "cannot create secret $full: $out"
  echo "secret $name $version generated"
}

cmd_app_deploy() {
  local domain="" version="" chaos=0 force=0
  while [ $# -gt 0 ]; do
    case "$1" in
      -C | --chaos) chaos=1; shift ;;
      -f | --force) force=1; shift ;;
      --no-domain-checks | -D | -c | --no-converge-checks) shift ;;
      -*) unexpected "unknown flag $1" ;;
      *)
        if [ -z "$domain" ]; then domain="$1"; elif [ -z "$version" ]; then version="$1"; else unexpected; fi
        shift ;;
    esac
  done
  [ -n "$domain" ] || unexpected "app deploy needs a domain"
  require_domain "$domain"
  if [ "$chaos" = 1 ] && [ -n "$version" ]; then unexpected "chaos deploy with a version"; fi
  if [ "$chaos" = 0 ] && [ -z "$version" ]; then unexpected "the adapter always names the version"; fi
  local env stack recipe rdir
  env=$(env_of "$domain") || fata "cannot find app with name $domain"
  stack=$(stack_of "$domain")
  recipe=$(recipe_of_env "$env")
  rdir="$ABRA_DIR/recipes/$recipe"
  [ -d "$rdir/.git" ] || [ -f "$rdir/.git" ] || fata "unable to clone recipe $recipe: no network here (stand-in)"
  if deployed "$stack" && [ "$force" = 0 ]; then fata "$domain is already deployed"; fi

  local labels=() p="coop-cloud.$stack"
  if [ "$chaos" = 1 ]; then
    local sha
    sha=$(git -C "$rdir" rev-parse --short=8 HEAD) || fata "cannot read HEAD of $rdir"
    [ -z "$(git -C "$rdir" status --porcelain)" ] || sha="$sha+U"
    # The version label of the compose file is kept (abra: "keep non-chaos version labelling").
    labels=("$p.recipe=$recipe" "$p.chaos=true" "$p.chaos-version=$sha")
  else
    case "$version" in *+broken) fata "deploy failed: ${stack}_app: converge check timed out (stand-in broken release $version)" ;; esac
    git -C "$rdir" rev-parse -q --verify "refs/tags/$version^{commit}" >/dev/null \
      || fata "unable to find version $version of $recipe"
    [ -z "$(git -C "$rdir" status --porcelain)" ] \
      || fata "$recipe ($rdir) has locally unstaged changes? please commit/remove your changes before proceeding"
    git -C "$rdir" -c advice.detachedHead=false checkout -q "refs/tags/$version" \
      || fata "cannot check out $version in $rdir"
    labels=("$p.version=$version" "$p.recipe=$recipe" "$p.chaos=false")
  fi

  local k v line
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" =~ ^[[:space:]]*# ]] && continue
    [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    k=${BASH_REMATCH[1]}
    v=${BASH_REMATCH[2]}
    v=${v%\"}; v=${v#\"}
    export "$k=$v"
  done <"$env"
  export STACK_NAME="$stack" DOMAIN="$domain"

  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  {
    printf 'version: "3.8"\nservices:\n  app:\n    deploy:\n      labels:\n'
    for kv in "${labels[@]}"; do printf '        %s: "%s"\n' "${kv%%=*}" "${kv#*=}"; done
  } >"$tmp/labels.yml"
  local files=() f names
  IFS=':' read -r -a names <<<"${COMPOSE_FILE:-compose.yml}"
  for f in "${names[@]}"; do
    [ -f "$rdir/$f" ] || fata "$rdir/$f does not exist"
    files+=(-c "$rdir/$f")
  done
  local out
  out=$(cd "$rdir" && docker stack deploy --resolve-image never "${files[@]}" -c "$tmp/labels.yml" "$stack" 2>&1) \
    || fata "deploy failed: $(printf '%s' "$out" | tr '\n' ' ')"
  if [ "$chaos" = 0 ]; then
    # abra >= 2025 records the deployed version in the env file.
    sed -i -E "s#^(TYPE|RECIPE)=.*#TYPE=$recipe:$version#" "$env"
  fi
  echo "$domain deployed (${version:-chaos})"
}

cmd_app_undeploy() {
  [ $# -eq 1 ] || unexpected
  require_domain "$1"
  env_of "$1" >/dev/null || fata "cannot find app with name $1"
  local stack
  stack=$(stack_of "$1")
  deployed "$stack" || fata "$1 is not deployed?"
  local out
  out=$(docker stack rm "$stack" 2>&1) || fata "undeploy failed: $out"
  echo "$1 undeployed"
}

cmd_app_remove() {
  local domain="" force=0
  while [ $# -gt 0 ]; do
    case "$1" in
      -f | --force) force=1; shift ;;
      -*) unexpected "unknown flag $1" ;;
      *) [ -z "$domain" ] || unexpected; domain="$1"; shift ;;
    esac
  done
  [ -n "$domain" ] || unexpected
  require_domain "$domain"
  [ "$force" = 1 ] || unexpected "app remove without -f would prompt"
  local env stack
  env=$(env_of "$domain") || fata "cannot find app with name $domain"
  stack=$(stack_of "$domain")
  deployed "$stack" && fata "$domain is still deployed. Run \"abra app undeploy $domain\""
  local vol out
  for vol in $(docker volume ls -q --filter "label=com.docker.stack.namespace=$stack"); do
    out=$(docker volume rm "$vol" 2>&1) || fata "removing volume $vol failed: $out"
  done
  local n v
  while read -r n v; do
    [ -n "$n" ] || continue
    if docker secret inspect "${stack}_${n}_${v}" >/dev/null 2>&1; then
      out=$(docker secret rm "${stack}_${n}_${v}" 2>&1) || fata "removing secret failed: $out"
    fi
  done < <(secrets_of_env "$env")
  rm -f "$env"
  echo "$domain removed"
}

case "${1:-} ${2:-}" in
  "recipe fetch") shift 2; cmd_recipe_fetch "$@" ;;
  "app new") shift 2; cmd_app_new "$@" ;;
  "app secret")
    [ "${3:-}" = generate ] || unexpected
    shift 3; cmd_app_secret_generate "$@" ;;
  "app deploy") shift 2; cmd_app_deploy "$@" ;;
  "app undeploy") shift 2; cmd_app_undeploy "$@" ;;
  "app remove") shift 2; cmd_app_remove "$@" ;;
  *) unexpected "unknown command" ;;
esac
