package org.soilobs.storage;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the schema is laid out and kept, from {@code OBS_DB_TIMESCALEDB}, {@code OBS_DB_RETENTION} and
 * {@code OBS_DB_PARTITIONS_AHEAD}.
 *
 * @param timescale whether to use TimescaleDB: {@code auto} (when the server can load it), {@code required}
 *        (refuse to start without it) or {@code off}
 * @param retention how long readings are kept before whole chunks/partitions are dropped; empty keeps them forever
 * @param monthsAhead how many monthly reading partitions exist beyond the current month (native partitioning)
 */
public record StorageConfig(Timescale timescale, Optional<Duration> retention, int monthsAhead) {

    /** Whether TimescaleDB is used. */
    public enum Timescale { AUTO, REQUIRED, OFF }

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(3650);

    public StorageConfig {
        if (timescale == null) {
            throw new IllegalArgumentException("OBS_DB_TIMESCALEDB must be auto, required or off");
        }
        if (retention == null) {
            retention = Optional.empty();
        }
        if (retention.isPresent() && retention.get().compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("OBS_DB_RETENTION must be at least one day (or 'none'), was "
                    + retention.get());
        }
        if (monthsAhead < 1 || monthsAhead > 24) {
            throw new IllegalArgumentException("OBS_DB_PARTITIONS_AHEAD must be in 1..24, was " + monthsAhead);
        }
    }

    public static StorageConfig defaults() {
        return new StorageConfig(Timescale.AUTO, Optional.of(DEFAULT_RETENTION), 3);
    }

    public static StorageConfig fromEnv(Map<String, String> env) {
        String timescale = env.getOrDefault("OBS_DB_TIMESCALEDB", "auto").strip().toUpperCase(Locale.ROOT);
        Timescale mode;
        try {
            mode = Timescale.valueOf(timescale);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OBS_DB_TIMESCALEDB must be auto, required or off, was "
                    + env.get("OBS_DB_TIMESCALEDB"), e);
        }
        String retention = env.getOrDefault("OBS_DB_RETENTION", DEFAULT_RETENTION.toString()).strip();
        Optional<Duration> kept;
        try {
            kept = retention.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(Duration.parse(retention));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("OBS_DB_RETENTION must be an ISO-8601 duration such as P3650D, or"
                    + " 'none', was " + retention, e);
        }
        int ahead;
        try {
            ahead = Integer.parseInt(env.getOrDefault("OBS_DB_PARTITIONS_AHEAD", "3").strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OBS_DB_PARTITIONS_AHEAD must be a whole number of months", e);
        }
        return new StorageConfig(mode, kept, ahead);
    }
}
