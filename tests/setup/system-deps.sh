#!/usr/bin/env bash
# Installs and starts what the test suite needs on a Debian 12 machine:
# the real clients (skopeo, podman, docker.io, logger) and a reachable MariaDB
# and Redis. Safe to run again: it only acts on what is missing.
set -euo pipefail

log() { printf '[test-deps] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v skopeo >/dev/null || need+=(skopeo)
command -v podman >/dev/null || need+=(podman)
command -v dockerd >/dev/null || need+=(docker.io)
command -v logger >/dev/null || need+=(bsdutils)
command -v newuidmap >/dev/null || need+=(uidmap)
# fincore: the proxy's direct-write tests check how much of a file is in the page cache.
command -v fincore >/dev/null || need+=(util-linux-extra)
[ -x /usr/bin/chromium ] || need+=(chromium)
# A CJK font, so the portal's Chinese screenshots show characters, not boxes.
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
{ [ -x /usr/sbin/slapd ] && command -v ldapsearch >/dev/null; } || need+=(slapd ldap-utils)

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

db_host=${HARBOR_TEST_DB_HOST:-127.0.0.1}
db_port=${HARBOR_TEST_DB_PORT:-3306}
if ! port_open "$db_host" "$db_port" && ! command -v mariadbd >/dev/null; then need+=(mariadb-server); fi
if ! port_open 127.0.0.1 6379 && ! command -v redis-server >/dev/null; then need+=(redis-server); fi

if [ ${#need[@]} -gt 0 ]; then
  log "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! port_open "$db_host" "$db_port"; then
  log "starting MariaDB"
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do port_open "$db_host" "$db_port" && break; sleep 0.5; done
  port_open "$db_host" "$db_port" || { log "MariaDB did not come up on $db_host:$db_port"; exit 1; }
fi
if ! port_open 127.0.0.1 6379; then
  log "starting Redis"
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 40); do port_open 127.0.0.1 6379 && break; sleep 0.25; done
  port_open 127.0.0.1 6379 || { log "Redis did not come up on 127.0.0.1:6379"; exit 1; }
fi
log "ready: skopeo $(skopeo --version | awk '{print $3}'), podman $(podman --version | awk '{print $3}'), dockerd $(dockerd --version | awk '{print $3}' | tr -d ,)"
