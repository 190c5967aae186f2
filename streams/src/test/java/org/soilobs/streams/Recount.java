package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Level;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;

/**
 * The test oracle: every aggregate recomputed from the readings by brute force, without {@link Stats},
 * without merging and without roll-ups: for each area, bucket and quantity, list the readings under it and
 * count. Only readings flagged exactly {@code ["G"]} enter the statistics; every reading enters the flag
 * counts and makes its area's child a member.
 */
final class Recount {

    /** {@code min}, {@code max}, {@code first}, {@code last} and the means are null/NaN without good readings. */
    record Expected(long count, double sum, Double min, Double max, Instant first, Instant last,
                    double areaHa, double areaWeightedMean, int members, Map<String, Long> flags) {
    }

    private Recount() {
    }

    /** The first version of every reading published: what went out before any correction. */
    static List<EnrichedReading> firstVersions(List<EnrichedReading> published) {
        return published.stream().filter(e -> !e.isCorrection()).toList();
    }

    /**
     * The final version of each reading in the order read: a quality-control correction replaces the version
     * before it under the same identity (sensor, quantity, time).
     */
    static List<EnrichedReading> finalVersions(List<EnrichedReading> published) {
        Map<String, EnrichedReading> last = new LinkedHashMap<>();
        for (EnrichedReading e : published) {
            last.put(e.reading().identity(), e);
        }
        return List.copyOf(last.values());
    }

    static Map<AggregateKey, Expected> of(List<EnrichedReading> readings) {
        Map<AggregateKey, List<EnrichedReading>> byKey = new HashMap<>();
        for (EnrichedReading e : readings) {
            for (Resolution resolution : Resolution.values()) {
                Instant bucket = Instant.ofEpochMilli(Math.floorDiv(e.reading().time().toEpochMilli(),
                        resolution.duration().toMillis()) * resolution.duration().toMillis());
                for (Level level : Level.values()) {
                    String area = level == Level.FIELD ? e.reading().field() : e.placement().codeAt(level);
                    AggregateKey key = new AggregateKey(level, area, e.reading().quantity(), resolution, bucket);
                    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
                }
            }
        }
        Map<AggregateKey, Expected> expected = new HashMap<>();
        byKey.forEach((key, list) -> expected.put(key, recount(key.level(), list)));
        return expected;
    }

    private static Expected recount(Level level, List<EnrichedReading> list) {
        long count = 0;
        double sum = 0;
        Double min = null;
        Double max = null;
        Instant first = null;
        Instant last = null;
        Map<String, List<Double>> valuesByField = new HashMap<>();
        Map<String, Double> areaByField = new HashMap<>();
        Set<String> children = new HashSet<>();
        Map<String, Long> flags = new TreeMap<>();
        for (EnrichedReading e : list) {
            children.add(childOf(level, e));
            e.flags().forEach(flag -> flags.merge(flag, 1L, Long::sum));
            if (!e.flags().equals(List.of(EnrichedReading.GOOD))) {
                continue;
            }
            double value = e.reading().value();
            Instant time = e.reading().time();
            count++;
            sum += value;
            min = min == null ? value : Math.min(min, value);
            max = max == null ? value : Math.max(max, value);
            first = first == null || time.isBefore(first) ? time : first;
            last = last == null || time.isAfter(last) ? time : last;
            valuesByField.computeIfAbsent(e.reading().field(), f -> new ArrayList<>()).add(value);
            areaByField.put(e.reading().field(), e.areaHa());
        }
        double area = 0;
        double weighted = 0;
        for (Map.Entry<String, List<Double>> field : valuesByField.entrySet()) {
            double fieldSum = 0;
            for (double value : field.getValue()) {
                fieldSum += value;
            }
            double fieldArea = areaByField.get(field.getKey());
            area += fieldArea;
            weighted += fieldArea * fieldSum / field.getValue().size();
        }
        return new Expected(count, sum, min, max, first, last, area, area == 0 ? Double.NaN : weighted / area,
                children.size(), flags);
    }

    private static String childOf(Level level, EnrichedReading e) {
        return switch (level) {
            case FIELD, COUNTRY -> e.reading().field();
            case SUBREGION -> e.placement().country();
            case REGION -> e.placement().subregion();
            case WORLD -> e.placement().region();
        };
    }

    /** Counts, extremes and times exact; sums and means to 1e-9 (they depend on the order of additions). */
    static void assertAggregatesMatch(Map<AggregateKey, Aggregate> actual, List<EnrichedReading> readings) {
        Map<AggregateKey, Expected> expected = of(readings);
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        SoftAssertions soft = new SoftAssertions();
        expected.forEach((key, e) -> {
            Aggregate aggregate = actual.get(key);
            Stats s = aggregate.stats();
            soft.assertThat(aggregate.key()).as("key inside %s", key).isEqualTo(key);
            soft.assertThat(s.count()).as("count %s", key).isEqualTo(e.count());
            soft.assertThat(s.flags()).as("flags %s", key).isEqualTo(e.flags());
            soft.assertThat(s.sum()).as("sum %s", key).isCloseTo(e.sum(), within(1e-9 * Math.max(1, Math.abs(e.sum()))));
            if (e.count() > 0) {
                soft.assertThat(s.mean()).as("mean %s", key).isCloseTo(e.sum() / e.count(), within(1e-9));
                soft.assertThat(s.areaWeightedMean()).as("area-weighted mean %s", key)
                        .isCloseTo(e.areaWeightedMean(), within(1e-9));
            }
            soft.assertThat(s.min()).as("min %s", key).isEqualTo(e.min());
            soft.assertThat(s.max()).as("max %s", key).isEqualTo(e.max());
            soft.assertThat(s.first()).as("first %s", key).isEqualTo(e.first());
            soft.assertThat(s.last()).as("last %s", key).isEqualTo(e.last());
            soft.assertThat(s.areaHa()).as("area %s", key).isCloseTo(e.areaHa(), within(1e-9));
            soft.assertThat(aggregate.members()).as("members %s", key).isEqualTo(e.members());
        });
        soft.assertAll();
    }
}
