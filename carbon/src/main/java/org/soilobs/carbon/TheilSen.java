package org.soilobs.carbon;

import java.util.Arrays;

/**
 * The Theil–Sen estimator of a linear trend (Theil 1950; Sen 1968) with its distribution-free confidence
 * interval from the Mann–Kendall variance (Sen 1968; Hollander &amp; Wolfe 1999 §9.4; Gilbert 1987 §16.5).
 * docs/science.md "Theil–Sen" works an example.
 *
 * <p>Of the N slopes (y_j − y_i)/(t_j − t_i), i &lt; j, t_i ≠ t_j, sorted: the slope is their median; with
 * C = z₀.₉₇₅ √Var(S), M₁ = (N − C)/2 and M₂ = (N + C)/2, the 95 % interval runs from the M₁-th to the
 * (M₂ + 1)-th slope (1-based), linearly interpolated between neighbours when M₁, M₂ are not whole, and
 * clamped to the smallest and largest slope.
 *
 * @param slope median pairwise slope, units of y per unit of t
 * @param intercept median of y_i − slope × t_i (Conover 1980), so that the line passes "through" the data
 * @param low lower 95 % bound of the slope
 * @param high upper 95 % bound of the slope
 * @param pairs N, the pairs with distinct times
 */
public record TheilSen(double slope, double intercept, double low, double high, long pairs) {

    public TheilSen {
        if (!(low <= slope && slope <= high)) {
            throw new IllegalArgumentException("slope " + slope + " outside its interval [" + low + ", " + high + "]");
        }
    }

    /**
     * @param t times, ascending
     * @param y values at those times
     * @param varianceS Var(S) of the Mann–Kendall test on {@code y}
     */
    public static TheilSen fit(double[] t, double[] y, double varianceS) {
        if (t.length != y.length || t.length < 2) {
            throw new IllegalArgumentException("Theil–Sen needs two equally long series of at least two values");
        }
        int n = t.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int count = 0;
        for (int i = 0; i < n - 1; i++) {
            for (int j = i + 1; j < n; j++) {
                if (t[j] != t[i]) {
                    slopes[count++] = (y[j] - y[i]) / (t[j] - t[i]);
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("Theil–Sen needs at least two distinct times");
        }
        slopes = Arrays.copyOf(slopes, count);
        Arrays.sort(slopes);
        double slope = median(slopes);
        double c = Normal.Z_95 * Math.sqrt(varianceS);
        double low = Math.min(slope, orderStatistic(slopes, (count - c) / 2));
        double high = Math.max(slope, orderStatistic(slopes, (count + c) / 2 + 1));
        double[] residuals = new double[n];
        for (int i = 0; i < n; i++) {
            residuals[i] = y[i] - slope * t[i];
        }
        Arrays.sort(residuals);
        return new TheilSen(slope, median(residuals), low, high, count);
    }

    /** The value of the line at {@code time}. */
    public double at(double time) {
        return intercept + slope * time;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The {@code rank}-th smallest (1-based, fractional ranks interpolated), clamped to the ends. */
    private static double orderStatistic(double[] sorted, double rank) {
        if (rank <= 1) {
            return sorted[0];
        }
        if (rank >= sorted.length) {
            return sorted[sorted.length - 1];
        }
        int below = (int) Math.floor(rank);
        double fraction = rank - below;
        return sorted[below - 1] + fraction * (sorted[below] - sorted[below - 1]);
    }
}
