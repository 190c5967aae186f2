package org.soilobs.storage;

/** How readings are partitioned by time; decided once, when the schema is first migrated. */
public enum StorageMode {
    /** Hypertables on time, compression after seven days, a retention policy (TimescaleDB). */
    TIMESCALEDB,
    /** Native monthly range partitions, created ahead of time by {@link PartitionMaintenance}. */
    NATIVE_PARTITIONS
}
