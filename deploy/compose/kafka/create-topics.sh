#!/usr/bin/env bash
# Creates the pipeline topics (org.soilobs.model.Topics) once, before any app starts; an existing topic is
# left as it is, so the script may run at every start. Streams creates its own internal topics.
# Compacted: the topics read as "latest value per key" (aggregates, registries, progress); the others are
# events that expire by time. DeployFilesMatchCodeTest checks names and policies against the code.
set -euo pipefail

BOOTSTRAP=${BOOTSTRAP:?set BOOTSTRAP to the Kafka bootstrap servers}
PARTITIONS=12
REPLICATION=3
MIN_INSYNC=2
DAY_MS=86400000

create_topic() {
  local name=$1 policy=$2 retention_days=$3
  local configs=(--config "cleanup.policy=$policy" --config "min.insync.replicas=$MIN_INSYNC")
  if [[ $retention_days != - ]]; then
    configs+=(--config "retention.ms=$((retention_days * DAY_MS))")
  fi
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$name" \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION" "${configs[@]}"
}

# name                    policy   retention (days; - for compacted)
create_topic soil.readings.raw      delete   7
create_topic soil.readings.rejected delete   30
create_topic soil.readings.clean    delete   7
create_topic soil.readings.late     delete   30
create_topic soil.aggregates        compact  -
create_topic soil.progress          compact  -
create_topic soil.fields            compact  -
create_topic soil.sensors           compact  -

/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --list
