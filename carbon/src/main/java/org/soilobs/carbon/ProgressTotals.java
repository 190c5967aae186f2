package org.soilobs.carbon;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.soilobs.model.Level;
import org.soilobs.model.Progress;
import org.soilobs.model.Progress.Status;

/**
 * What an area adds to the progress of the area above it: every member is a sum over fields, so an area's
 * totals are the sums of its children's (DESIGN §6: Σ ΔTᵢ / Σ T₀ᵢ, never a mean of rates).
 *
 * @param asOf the latest day with a stock; the one member that is a maximum, not a sum
 * @param deltaT Σ bᵢ × areaᵢ over fields with a trend, t C per year
 * @param baselineT Σ S₀ᵢ × areaᵢ over fields with a trend, t C
 * @param deltaVariance Σ (areaᵢ × σ(bᵢ))², fields taken as independent
 * @param stockT Σ latestᵢ × areaᵢ over fields with a usable month, t C
 * @param areaHa Σ areaᵢ over fields with a usable month
 */
public record ProgressTotals(Instant asOf, int fields, int fieldsWithTrend, SortedMap<String, Integer> byStatus,
                             double deltaT, double baselineT, double deltaVariance, double stockT, double areaHa) {

    public ProgressTotals {
        byStatus = Collections.unmodifiableSortedMap(new TreeMap<>(byStatus == null ? Map.of() : byStatus));
    }

    /** A field's totals; {@code null} when it has no usable month yet (it then counts nowhere). */
    public static ProgressTotals ofField(FieldTrend trend, double areaHa, Instant asOf) {
        if (trend.points() == 0) {
            return null;
        }
        SortedMap<String, Integer> byStatus = new TreeMap<>();
        byStatus.put(trend.status().id(), 1);
        if (!trend.hasTrend()) {
            return new ProgressTotals(asOf, 1, 0, byStatus, 0, 0, 0, trend.latest() * areaHa, areaHa);
        }
        double sigma = areaHa * trend.slopeSigma();
        return new ProgressTotals(asOf, 1, 1, byStatus, trend.fit().slope() * areaHa, trend.baseline() * areaHa,
                sigma * sigma, trend.latest() * areaHa, areaHa);
    }

    public ProgressTotals plus(ProgressTotals other) {
        SortedMap<String, Integer> statuses = new TreeMap<>(byStatus);
        other.byStatus.forEach((status, n) -> statuses.merge(status, n, Integer::sum));
        return new ProgressTotals(asOf.isAfter(other.asOf) ? asOf : other.asOf, fields + other.fields,
                fieldsWithTrend + other.fieldsWithTrend, statuses, deltaT + other.deltaT, baselineT + other.baselineT,
                deltaVariance + other.deltaVariance, stockT + other.stockT, areaHa + other.areaHa);
    }

    /**
     * The progress of an area above field level: r = ΔT / T₀ with the interval (ΔT ± 1.96 √Var) / T₀ and the
     * status rule applied to that interval.
     */
    public Progress toProgress(Level level, String area) {
        if (fieldsWithTrend == 0) {
            return progress(level, area, null, null, null, Status.INSUFFICIENT_DATA, null, null);
        }
        double half = Normal.Z_95 * Math.sqrt(deltaVariance);
        double low = (deltaT - half) / baselineT;
        double high = (deltaT + half) / baselineT;
        return progress(level, area, deltaT / baselineT, low, high, Status.of(low, high), null, null);
    }

    /** A field's own progress: its Sen interval, not the normal approximation the aggregation uses. */
    public static Progress fieldProgress(String field, FieldTrend trend, double areaHa, Instant asOf) {
        ProgressTotals totals = ofField(trend, areaHa, asOf);
        if (totals == null) {
            throw new IllegalArgumentException("field " + field + " has no usable month yet");
        }
        if (!trend.hasTrend()) {
            return totals.progress(Level.FIELD, field, null, null, null, Status.INSUFFICIENT_DATA, trend.points(), null);
        }
        return totals.progress(Level.FIELD, field, trend.rate(), trend.rateLow(), trend.rateHigh(), trend.status(),
                trend.points(), trend.test().p());
    }

    private Progress progress(Level level, String area, Double rate, Double low, Double high, Status status,
                              Integer points, Double p) {
        return new Progress(level, area, asOf, fields, fieldsWithTrend, byStatus, stockT, baselineT, deltaT,
                deltaVariance, areaHa, rate, low, high, status, points, p);
    }
}
