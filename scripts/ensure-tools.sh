#!/usr/bin/env bash
# Installs what the observatory needs and the machine lacks, as Debian packages through apt:
#   always:      a JDK 17+, Maven, Node.js with npm (the map's Leaflet is bundled from npm at build
#                time), PostgreSQL's server binaries (the embedded run and the tests start their own
#                cluster from them);
#   with "test": GDAL's command-line tools (the OGC API – Features test drives ogrinfo and ogr2ogr),
#                Chromium (the map's headless-browser test) and Mosquitto with its clients (ingest's
#                tests publish with mosquitto_pub, a client the project did not write, and run ingest
#                against a Mosquitto broker as well as HiveMQ).
set -euo pipefail

missing=()
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then missing+=(openjdk-17-jdk-headless); fi
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ "${1:-}" = test ]; then
  command -v ogr2ogr >/dev/null 2>&1 || missing+=(gdal-bin)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
  command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Debian's mosquitto package starts a broker on 1883, the observatory's own port: the tests start theirs.
  if [[ " ${missing[*]} " == *" mosquitto "* ]]; then
    "${sudo_cmd[@]}" systemctl disable --now mosquitto 2>/dev/null || "${sudo_cmd[@]}" service mosquitto stop 2>/dev/null || true
  fi
  # Debian starts a packaged cluster on 5432; the observatory runs its own, so leave that one stopped.
  if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | while read -r version cluster; do
      "${sudo_cmd[@]}" pg_ctlcluster "$version" "$cluster" stop 2>/dev/null || true
    done
  fi
fi
