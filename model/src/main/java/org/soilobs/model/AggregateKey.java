package org.soilobs.model;

import java.time.Instant;
import java.util.Objects;

/** Identifies one aggregate: the unique key of the aggregate table (DESIGN §7). */
public record AggregateKey(Level level, String area, Quantity quantity, Resolution resolution, Instant bucket) {

    public AggregateKey {
        Objects.requireNonNull(level, "level");
        Reading.requireText(area, "area");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(bucket, "bucket");
        if (!resolution.bucketOf(bucket).equals(bucket)) {
            throw new IllegalArgumentException(bucket + " is not the start of a " + resolution.id() + " bucket");
        }
    }

    /** The same bucket, quantity and resolution for another area. */
    public AggregateKey withArea(Level otherLevel, String otherArea) {
        return new AggregateKey(otherLevel, otherArea, quantity, resolution, bucket);
    }
}
