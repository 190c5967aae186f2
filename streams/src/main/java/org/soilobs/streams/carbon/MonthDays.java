package org.soilobs.streams.carbon;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.soilobs.carbon.MonthPoint;

/**
 * The daily SOC stocks of one field and calendar month, t C/ha by ISO day: kept so that a corrected day
 * replaces its old stock in the month's mean.
 */
public record MonthDays(SortedMap<String, Double> stocks) {

    public MonthDays {
        stocks = Collections.unmodifiableSortedMap(new TreeMap<>(stocks == null ? Map.of() : stocks));
    }

    public static MonthDays empty() {
        return new MonthDays(new TreeMap<>());
    }

    /** @param stock the day's stock, or null when the day has no good SOC reading (any earlier stock goes) */
    public MonthDays with(LocalDate day, Double stock) {
        SortedMap<String, Double> next = new TreeMap<>(stocks);
        if (stock == null) {
            next.remove(day.toString());
        } else {
            next.put(day.toString(), stock);
        }
        return new MonthDays(next);
    }

    /** The month's point, or null without any day. */
    public MonthPoint point(String month) {
        if (stocks.isEmpty()) {
            return null;
        }
        double days = 0;
        double stock = 0;
        for (Map.Entry<String, Double> entry : stocks.entrySet()) {
            days += LocalDate.parse(entry.getKey()).toEpochDay();
            stock += entry.getValue();
        }
        return new MonthPoint(month, stocks.size(), days / stocks.size(), stock / stocks.size());
    }
}
