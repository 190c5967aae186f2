package org.soilobs.model;

/** The Kafka topics between the stages (DESIGN §1). */
public final class Topics {

    /** Normalised readings from ingest, keyed by sensor id. */
    public static final String READINGS_RAW = "soil.readings.raw";
    /** Dead letters: what could not be accepted, with the original bytes and a reason. */
    public static final String READINGS_REJECTED = "soil.readings.rejected";
    /** Enriched, flagged readings, keyed by sensor id. */
    public static final String READINGS_CLEAN = "soil.readings.clean";
    /**
     * Readings that came later than the grace period, so missed their aggregates, keyed by sensor id; the
     * same {@link EnrichedReading} as in {@link #READINGS_CLEAN}, where they also are.
     */
    public static final String READINGS_LATE = "soil.readings.late";
    /** Aggregates at every level, keyed by {@link AggregateKey}. */
    public static final String AGGREGATES = "soil.aggregates";
    /**
     * Progress towards "4 per 1000" (DESIGN §6), compacted, keyed by {@code level/code} (e.g.
     * {@code country/FRA}, {@code field/f-123}); a tombstone removes an area.
     */
    public static final String PROGRESS = "soil.progress";
    /** Registered fields (compacted), keyed by field id. */
    public static final String FIELDS = "soil.fields";
    /** Registered sensors (compacted), keyed by sensor id. */
    public static final String SENSORS = "soil.sensors";

    private Topics() {
    }
}
