#!/usr/bin/env bash
# Installs Debian's PostgreSQL and Redis servers for the scale-out tests (the PostgreSQL store,
# hubs, BullMQ workers, the chaos suite), unless they are there already. The tests start their own
# instances on loopback ports with temporary data directories; nothing here starts a service.
# Under CI those tests fail when the servers are missing, so a failed install fails here, loudly.
set -euo pipefail
have_pg() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; }
have_redis() { command -v redis-server >/dev/null 2>&1; }
if have_pg && have_redis; then
  echo "services: postgresql and redis-server present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postgresql redis-server >/dev/null
have_pg && have_redis
echo "services: installed $(ls -d /usr/lib/postgresql/*/bin | head -1) and $(redis-server --version | cut -d' ' -f1-3)"
