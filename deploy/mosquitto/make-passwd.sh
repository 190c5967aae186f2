#!/bin/sh
# Writes Mosquitto's password file (salted hashes, mosquitto_passwd) from the environment:
#   MQTT_INGEST_USERNAME / MQTT_INGEST_PASSWORD    ingest's account (the ACL's "user ingest")
#   MQTT_GATEWAY_USERNAME / MQTT_GATEWAY_PASSWORD  one gateway (its username is its gateway id)
#   MQTT_GATEWAYS_FILE                             optional: more gateways, one "<gateway id> <password>" a line
# Usage: make-passwd.sh <password file to write>
set -eu
target="$1"
: "${MQTT_INGEST_USERNAME:?}" "${MQTT_INGEST_PASSWORD:?}"
umask 077
mkdir -p "$(dirname "$target")"
rm -f "$target"
touch "$target"
mosquitto_passwd -b "$target" "$MQTT_INGEST_USERNAME" "$MQTT_INGEST_PASSWORD"
if [ -n "${MQTT_GATEWAY_USERNAME:-}" ]; then
  mosquitto_passwd -b "$target" "$MQTT_GATEWAY_USERNAME" "${MQTT_GATEWAY_PASSWORD:?}"
fi
if [ -n "${MQTT_GATEWAYS_FILE:-}" ]; then
  grep -v '^[[:space:]]*\(#\|$\)' "$MQTT_GATEWAYS_FILE" | while read -r id password; do
    mosquitto_passwd -b "$target" "$id" "$password"
  done
fi
# Readable by Mosquitto's user only (uid 1883 in the eclipse-mosquitto image; MQTT_FILE_OWNER overrides).
chmod 0600 "$target"
if [ "$(id -u)" = 0 ]; then
  chown "${MQTT_FILE_OWNER:-1883:1883}" "$target"
fi
echo "wrote $(wc -l < "$target") MQTT accounts to $target"
