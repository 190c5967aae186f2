package org.soilobs.model;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Mergeable statistics (DESIGN §6): every level merges from the one below with additions only, so no
 * level ever averages averages.
 *
 * <p>{@code count}, {@code sum}, {@code sumSq}, {@code min}, {@code max}, {@code first} and {@code last}
 * cover good readings only. {@code flags} counts every reading by quality flag, good ones included, so
 * coverage is visible. {@code areaHa} is the area of the fields with at least one good reading and
 * {@code areaWeightedSum} is Σ areaᵢ × meanᵢ over those fields; their ratio is the area-weighted mean.
 *
 * @param min null while {@code count} is 0
 * @param max null while {@code count} is 0
 * @param first event time of the earliest good reading, null while {@code count} is 0
 * @param last event time of the latest good reading, null while {@code count} is 0
 */
public record Stats(
        long count,
        double sum,
        double sumSq,
        Double min,
        Double max,
        Instant first,
        Instant last,
        double areaHa,
        double areaWeightedSum,
        SortedMap<String, Long> flags) {

    private static final Stats EMPTY = new Stats(0, 0, 0, null, null, null, null, 0, 0, new TreeMap<>());

    public Stats {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        if ((count == 0) != (min == null) || (count == 0) != (max == null)
                || (count == 0) != (first == null) || (count == 0) != (last == null)) {
            throw new IllegalArgumentException("min, max, first and last are set exactly when count > 0");
        }
        if (areaHa < 0) {
            throw new IllegalArgumentException("areaHa must not be negative: " + areaHa);
        }
        flags = Collections.unmodifiableSortedMap(new TreeMap<>(flags == null ? Map.of() : flags));
    }

    public static Stats empty() {
        return EMPTY;
    }

    /** The statistics of one reading; only a good one contributes its value. */
    public static Stats of(double value, Instant time, List<String> readingFlags) {
        SortedMap<String, Long> counts = new TreeMap<>();
        readingFlags.forEach(flag -> counts.merge(flag, 1L, Long::sum));
        boolean good = readingFlags.equals(List.of(EnrichedReading.GOOD));
        if (!good) {
            return new Stats(0, 0, 0, null, null, null, null, 0, 0, counts);
        }
        return new Stats(1, value, value * value, value, value, time, time, 0, 0, counts);
    }

    public Stats merge(Stats other) {
        if (other.count == 0 && other.flags.isEmpty() && other.areaHa == 0) {
            return this;
        }
        if (count == 0 && flags.isEmpty() && areaHa == 0) {
            return other;
        }
        SortedMap<String, Long> counts = new TreeMap<>(flags);
        other.flags.forEach((flag, n) -> counts.merge(flag, n, Long::sum));
        return new Stats(
                count + other.count,
                sum + other.sum,
                sumSq + other.sumSq,
                pick(min, other.min, true),
                pick(max, other.max, false),
                count == 0 ? other.first : other.count == 0 ? first : earlier(first, other.first),
                count == 0 ? other.last : other.count == 0 ? last : later(last, other.last),
                areaHa + other.areaHa,
                areaWeightedSum + other.areaWeightedSum,
                counts);
    }

    /**
     * A field's statistics as its contribution to the levels above: weighted by the field's area when
     * it has good readings, with no weight when it has none.
     */
    public Stats weightedByFieldArea(double fieldAreaHa) {
        if (count == 0) {
            return new Stats(0, 0, 0, null, null, null, null, 0, 0, flags);
        }
        return new Stats(count, sum, sumSq, min, max, first, last, fieldAreaHa, fieldAreaHa * mean(), flags);
    }

    /** Mean of good readings, NaN without any. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Σ areaᵢ × meanᵢ / Σ areaᵢ over contributing fields, NaN without any. */
    public double areaWeightedMean() {
        return areaHa == 0 ? Double.NaN : areaWeightedSum / areaHa;
    }

    /** Sample variance of good readings, NaN with fewer than two. */
    public double variance() {
        if (count < 2) {
            return Double.NaN;
        }
        double mean = mean();
        return Math.max(0, (sumSq - count * mean * mean) / (count - 1));
    }

    /** Every reading counted, whatever its flag. */
    public long flaggedTotal() {
        return flags.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Double pick(Double a, Double b, boolean smaller) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return smaller ? Math.min(a, b) : Math.max(a, b);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
