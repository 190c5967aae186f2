package org.soilobs.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Progress of one area towards "4 per 1000" (DESIGN §6, docs/science.md): the relative annual change of its
 * SOC stock with a confidence interval, on {@link Topics#PROGRESS} and in the {@code progress} table.
 *
 * <p>Above field level the rate is stock-weighted, {@code deltaTPerYear / baselineStockT}, summed over the
 * fields that have a trend; never a mean of field rates.
 *
 * @param area the area code: a field id, ISO alpha-3, an M49 code or {@code 001}
 * @param asOf the latest day with a SOC stock among the area's fields
 * @param fields fields with at least one daily stock
 * @param fieldsWithTrend of those, fields whose series is long enough for a trend
 * @param fieldsByStatus fields per {@link Status} id
 * @param stockT Σ latest monthly mean stock × area over {@code fields}, t C
 * @param baselineStockT T₀ = Σ S₀ × area over fields with a trend, t C
 * @param deltaTPerYear ΔT = Σ Theil–Sen slope × area over fields with a trend, t C per year
 * @param deltaVariance Σ (area × σ of the slope)², (t C per year)², the variance of {@code deltaTPerYear}
 * @param areaHa Σ area over {@code fields}, ha
 * @param rate ΔT / T₀ per year, null without a trend
 * @param rateLow lower 95 % confidence bound of {@code rate}, null without a trend
 * @param rateHigh upper 95 % confidence bound of {@code rate}, null without a trend
 * @param points monthly mean stocks the field's trend used; null above field level
 * @param mannKendallP two-sided Mann–Kendall p-value of the field's series; null above field level or
 *     without a trend
 */
public record Progress(
        Level level,
        String area,
        Instant asOf,
        int fields,
        int fieldsWithTrend,
        SortedMap<String, Integer> fieldsByStatus,
        double stockT,
        double baselineStockT,
        double deltaTPerYear,
        double deltaVariance,
        double areaHa,
        Double rate,
        Double rateLow,
        Double rateHigh,
        Status status,
        Integer points,
        Double mannKendallP) {

    /** The "4 per 1000" target: +0.4 % of the stock a year. */
    public static final double TARGET_RATE = 0.004;

    public Progress {
        Objects.requireNonNull(level, "level");
        Reading.requireText(area, "area");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(status, "status");
        if (fields < 1 || fieldsWithTrend < 0 || fieldsWithTrend > fields) {
            throw new IllegalArgumentException("inconsistent field counts: " + fieldsWithTrend + " of " + fields);
        }
        if (!(areaHa > 0) || !(stockT >= 0) || !(baselineStockT >= 0) || !(deltaVariance >= 0)
                || !Double.isFinite(deltaTPerYear)) {
            throw new IllegalArgumentException("progress of " + area + " has impossible totals");
        }
        if ((rate == null) != (fieldsWithTrend == 0) || (rate == null) != (rateLow == null)
                || (rate == null) != (rateHigh == null)) {
            throw new IllegalArgumentException("rate and its bounds are set exactly when a field has a trend");
        }
        if (rate != null && !(rateLow <= rate && rate <= rateHigh)) {
            throw new IllegalArgumentException("rate " + rate + " outside its interval [" + rateLow + ", " + rateHigh + "]");
        }
        if ((rate == null) != (status == Status.INSUFFICIENT_DATA)) {
            throw new IllegalArgumentException("status " + status.id() + " does not match rate " + rate);
        }
        fieldsByStatus = Collections.unmodifiableSortedMap(
                new TreeMap<>(fieldsByStatus == null ? Map.of() : fieldsByStatus));
    }

    /** fields_with_trend / fields. */
    public double coverage() {
        return (double) fieldsWithTrend / fields;
    }

    /** Stock per hectare over the monitored area, t C/ha. */
    public double stockDensity() {
        return stockT / areaHa;
    }

    /** Where an area stands against the target; the rule is in docs/science.md ("Status"). */
    public enum Status {
        ON_TRACK,
        NOT_ON_TRACK,
        LOSING,
        INSUFFICIENT_DATA;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Status> byId(String id) {
            for (Status status : values()) {
                if (status.id().equals(id)) {
                    return Optional.of(status);
                }
            }
            return Optional.empty();
        }

        @JsonCreator
        public static Status fromId(String id) {
            return byId(id).orElseThrow(() -> new IllegalArgumentException("unknown status: " + id));
        }

        /**
         * On track only when the whole 95 % interval is at or above the target; losing only when it is
         * wholly below zero; otherwise not (yet) on track.
         */
        public static Status of(double rateLow, double rateHigh) {
            if (rateLow >= TARGET_RATE) {
                return ON_TRACK;
            }
            return rateHigh < 0 ? LOSING : NOT_ON_TRACK;
        }
    }
}
