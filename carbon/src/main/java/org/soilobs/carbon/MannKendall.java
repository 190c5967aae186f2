package org.soilobs.carbon;

import java.util.Arrays;

/**
 * The Mann–Kendall trend test (Mann 1945; Kendall 1975), with the variance of S corrected for ties
 * (Kendall 1975; Hirsch &amp; Slack 1984; Gilbert 1987 §16.4). docs/science.md "Mann–Kendall" works an example.
 *
 * @param n observations
 * @param s S = Σ_{i&lt;j} sgn(y_j − y_i) over the series in time order
 * @param variance Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18, t the size of each group of tied values
 * @param z (S − 1)/√Var for S &gt; 0, (S + 1)/√Var for S &lt; 0, 0 otherwise (continuity correction)
 * @param p two-sided p-value 2(1 − Φ(|z|)) of "no monotonic trend"
 */
public record MannKendall(int n, long s, double variance, double z, double p) {

    public MannKendall {
        if (n < 2 || !(variance >= 0)) {
            throw new IllegalArgumentException("Mann–Kendall needs n ≥ 2 and Var(S) ≥ 0");
        }
    }

    /** @param y the series in time order; at least two values, none NaN */
    public static MannKendall of(double[] y) {
        int n = y.length;
        if (n < 2) {
            throw new IllegalArgumentException("Mann–Kendall needs at least two values, had " + n);
        }
        long s = 0;
        for (int i = 0; i < n - 1; i++) {
            for (int j = i + 1; j < n; j++) {
                s += Double.compare(y[j], y[i]) > 0 ? 1 : y[j] < y[i] ? -1 : 0;
            }
        }
        double variance = (n * (n - 1.0) * (2.0 * n + 5) - tieTerm(y)) / 18;
        double z = variance == 0 ? 0 : s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
        double p = z == 0 ? 1 : Math.min(1, 2 * (1 - Normal.cdf(Math.abs(z))));
        return new MannKendall(n, s, variance, z, p);
    }

    /** Σ t(t−1)(2t+5) over groups of equal values. */
    private static double tieTerm(double[] y) {
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double sum = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
                j++;
            }
            double t = j - i + 1.0;
            sum += t * (t - 1) * (2 * t + 5);
            i = j + 1;
        }
        return sum;
    }
}
