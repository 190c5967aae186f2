package org.soilobs.carbon;

/**
 * One calendar month of a field's daily SOC stocks, the unit the trend is fitted on (docs/science.md
 * "Trend of a field"): monthly means average out day-to-day sensor noise and short wet or dry spells, whose
 * serial correlation would make the Mann–Kendall variance, which assumes independent values, too small.
 *
 * @param month {@code yyyy-MM}
 * @param days daily stocks in the month
 * @param meanEpochDay mean epoch day of those days: the time of the point
 * @param meanStock mean of those stocks, t C/ha
 */
public record MonthPoint(String month, int days, double meanEpochDay, double meanStock) {

    public MonthPoint {
        if (month == null || !month.matches("\\d{4}-\\d{2}")) {
            throw new IllegalArgumentException("month must be yyyy-MM, was " + month);
        }
        if (days < 1 || !Double.isFinite(meanEpochDay) || !(meanStock >= 0) || !Double.isFinite(meanStock)) {
            throw new IllegalArgumentException("month " + month + " has no valid mean");
        }
    }
}
