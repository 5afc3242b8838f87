#!/usr/bin/env bash
# Installs what `pnpm bench` needs from Debian when it is missing: CNCF
# Distribution 2.8 (`docker-registry`), the load generators `wrk` and `ab`
# (apache2-utils: wrk cannot do HEAD), `hyperfine` and `skopeo`; MariaDB
# and Redis come from tests/setup/system-deps.sh. Safe to run again: it only acts on what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { printf '[bench-deps] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
[ -x /usr/bin/docker-registry ] || command -v docker-registry >/dev/null || need+=(docker-registry)
command -v wrk >/dev/null || need+=(wrk)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v ab >/dev/null || need+=(apache2-utils)
# curl pulls the blobs; ss finds the server processes whose CPU time is counted.
command -v curl >/dev/null || need+=(curl)
command -v ss >/dev/null || need+=(iproute2)
command -v skopeo >/dev/null || need+=(skopeo)

if [ ${#need[@]} -gt 0 ]; then
  log "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  # The package's own service must not grab port 5000 or run beside ours.
  as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
    as_root systemctl stop docker-registry || true
  fi
fi

bash tests/setup/system-deps.sh >/dev/null
log "ready: $(docker-registry --version 2>/dev/null | head -1), $(wrk --version 2>&1 | head -1 | awk '{print $1, $2}'), $(hyperfine --version)"
