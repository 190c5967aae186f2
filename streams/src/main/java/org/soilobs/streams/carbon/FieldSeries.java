package org.soilobs.streams.carbon;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.soilobs.carbon.MonthPoint;

/**
 * A field's SOC stock series as monthly points (what its trend is fitted on), by {@code yyyy-MM}.
 *
 * @param asOf the latest day that had a stock; null before the first
 */
public record FieldSeries(SortedMap<String, MonthPoint> months, Instant asOf) {

    public FieldSeries {
        months = Collections.unmodifiableSortedMap(new TreeMap<>(months == null ? Map.of() : months));
    }

    public static FieldSeries empty() {
        return new FieldSeries(new TreeMap<>(), null);
    }

    /** @param point the month's new point, or null when the month lost its last day */
    public FieldSeries with(String month, MonthPoint point, Instant day) {
        SortedMap<String, MonthPoint> next = new TreeMap<>(months);
        if (point == null) {
            next.remove(month);
        } else {
            next.put(month, point);
        }
        Instant latest = point == null || (asOf != null && asOf.isAfter(day)) ? asOf : day;
        return new FieldSeries(next, latest);
    }
}
