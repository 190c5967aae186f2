package org.soilobs.model;

import java.util.Objects;

/**
 * The statistics of one area, quantity and bucket.
 *
 * @param members how many areas of the level below contributed (fields for a country, countries for a
 *     sub-region, …); 1 at field level
 */
public record Aggregate(AggregateKey key, Stats stats, int members) {

    public Aggregate {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stats, "stats");
        if (members < 1) {
            throw new IllegalArgumentException("an aggregate has at least one member, was " + members);
        }
    }
}
