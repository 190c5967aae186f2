package org.soilobs.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Aggregate bucket sizes. Buckets are aligned to UTC hours and days. */
public enum Resolution {
    HOUR("PT1H", Duration.ofHours(1)),
    DAY("P1D", Duration.ofDays(1));

    private final String id;
    private final Duration duration;

    Resolution(String id, Duration duration) {
        this.id = id;
        this.duration = duration;
    }

    /** ISO 8601 duration, as used on the wire and in the API. */
    @JsonValue
    public String id() {
        return id;
    }

    public Duration duration() {
        return duration;
    }

    /** The start of the UTC bucket that contains {@code time}. */
    public Instant bucketOf(Instant time) {
        long size = duration.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), size) * size);
    }

    public static Optional<Resolution> byId(String id) {
        for (Resolution resolution : values()) {
            if (resolution.id.equals(id)) {
                return Optional.of(resolution);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    public static Resolution fromId(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("unknown resolution: " + id));
    }
}
