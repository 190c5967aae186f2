package org.soilobs.carbon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.soilobs.model.Progress.Status;

/**
 * The trend of one field's SOC stock and its rate against "4 per 1000" (DESIGN §6; docs/science.md "Trend
 * of a field", "Rate", "Status").
 *
 * <p>Months with at least {@link #MIN_DAYS_PER_MONTH} daily stocks are the points. With at least
 * {@link #MIN_POINTS} of them spanning at least {@link #MIN_SPAN_DAYS} days, the Theil–Sen slope b (t C/ha per
 * year) and its 95 % interval are fitted on time in years since the first point, the baseline S₀ is the
 * fitted line at that first point, and the rate r = b / S₀ with interval [b_low / S₀, b_high / S₀]. Otherwise
 * the status is {@code insufficient_data} and there is no rate.
 *
 * @param points usable months
 * @param spanDays days between the first and last usable month
 * @param fit null without enough data
 * @param test null without enough data
 * @param baseline S₀, t C/ha; NaN without enough data
 * @param latest the last usable month's mean stock, t C/ha; NaN without any usable month
 */
public record FieldTrend(int points, double spanDays, TheilSen fit, MannKendall test, double baseline, double latest,
                         Status status) {

    /** A month with fewer daily stocks is left out: its mean would be as noisy as a few readings. */
    public static final int MIN_DAYS_PER_MONTH = 10;
    /** Twelve monthly means: one of each calendar month, so a seasonal swing cannot pass for a trend. */
    public static final int MIN_POINTS = 12;
    /** A trend in t C/ha per year needs at least a year between the first and last point. */
    public static final double MIN_SPAN_DAYS = 365;
    static final double DAYS_PER_YEAR = 365.25;

    public FieldTrend {
        if ((fit == null) != (status == Status.INSUFFICIENT_DATA) || (fit == null) != (test == null)) {
            throw new IllegalArgumentException("a trend has a fit and a test exactly when its data suffice");
        }
    }

    /** @param months the field's months, in any order; unusable ones are skipped */
    public static FieldTrend of(Collection<MonthPoint> months) {
        List<MonthPoint> usable = new ArrayList<>();
        for (MonthPoint month : months) {
            if (month.days() >= MIN_DAYS_PER_MONTH) {
                usable.add(month);
            }
        }
        usable.sort(Comparator.comparing(MonthPoint::month));
        int n = usable.size();
        if (n == 0) {
            return new FieldTrend(0, 0, null, null, Double.NaN, Double.NaN, Status.INSUFFICIENT_DATA);
        }
        double first = usable.get(0).meanEpochDay();
        double span = usable.get(n - 1).meanEpochDay() - first;
        double latest = usable.get(n - 1).meanStock();
        if (n < MIN_POINTS || span < MIN_SPAN_DAYS) {
            return new FieldTrend(n, span, null, null, Double.NaN, latest, Status.INSUFFICIENT_DATA);
        }
        double[] t = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = (usable.get(i).meanEpochDay() - first) / DAYS_PER_YEAR;
            y[i] = usable.get(i).meanStock();
        }
        MannKendall test = MannKendall.of(y);
        TheilSen fit = TheilSen.fit(t, y, test.variance());
        double baseline = fit.at(0);
        if (!(baseline > 0)) {
            // A line through positive stocks that starts at or below zero: no relative rate means anything.
            return new FieldTrend(n, span, null, null, Double.NaN, latest, Status.INSUFFICIENT_DATA);
        }
        return new FieldTrend(n, span, fit, test, baseline, latest,
                Status.of(fit.low() / baseline, fit.high() / baseline));
    }

    public boolean hasTrend() {
        return fit != null;
    }

    /** r = b / S₀ per year. */
    public double rate() {
        return fit.slope() / baseline;
    }

    public double rateLow() {
        return fit.low() / baseline;
    }

    public double rateHigh() {
        return fit.high() / baseline;
    }

    /**
     * σ of the slope, t C/ha per year, read off the 95 % interval as (high − low) / (2 × 1.96): what the
     * stock-weighted aggregation propagates (docs/science.md "Aggregation").
     */
    public double slopeSigma() {
        return (fit.high() - fit.low()) / (2 * Normal.Z_95);
    }
}
