package org.soilobs.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Mann–Kendall and Theil–Sen on series small enough to work by hand (docs/science.md shows the same
 * computations).
 */
class TrendStatisticsTest {

    /** t = 1..5, y = 10, 12, 11, 14, 14: one pair of tied values (14, 14). */
    private static final double[] T = {1, 2, 3, 4, 5};
    private static final double[] Y = {10, 12, 11, 14, 14};

    @Test
    void mannKendallCountsSignsAndCorrectsTheVarianceForTies() {
        // signs of y_j − y_i, i < j: (1,2)+ (1,3)+ (1,4)+ (1,5)+ (2,3)− (2,4)+ (2,5)+ (3,4)+ (3,5)+ (4,5)0 → S = 8 − 1 = 7
        // Var(S) = [5·4·15 − 2·1·9] / 18 = (300 − 18) / 18 = 15.667 (without the tie: 300/18 = 16.667)
        // z = (7 − 1) / √15.667 = 1.5159, p = 2(1 − Φ(1.5159)) = 0.1295
        MannKendall test = MannKendall.of(Y);

        assertThat(test.s()).isEqualTo(7);
        assertThat(test.variance()).isCloseTo(282.0 / 18, within(1e-12));
        assertThat(test.z()).isCloseTo(6 / Math.sqrt(282.0 / 18), within(1e-12));
        assertThat(test.z()).isCloseTo(1.5159, within(1e-4));
        assertThat(test.p()).isCloseTo(0.1295, within(1e-4));
    }

    @Test
    void mannKendallOfAStrictlyRisingSeriesWithoutTies() {
        // n = 4: S = 6 (all pairs rise), Var = 4·3·13/18 = 8.667, z = 5/√8.667 = 1.6984, p = 0.0894
        MannKendall test = MannKendall.of(new double[] {1, 2, 3, 4});

        assertThat(test.s()).isEqualTo(6);
        assertThat(test.variance()).isCloseTo(156.0 / 18, within(1e-12));
        assertThat(test.p()).isCloseTo(0.0894, within(1e-4));
    }

    @Test
    void mannKendallOfAConstantSeriesHasNoVarianceAndNoTrend() {
        // one group of 4 ties: Var = (4·3·13 − 4·3·13)/18 = 0
        MannKendall test = MannKendall.of(new double[] {5, 5, 5, 5});

        assertThat(test.s()).isZero();
        assertThat(test.variance()).isZero();
        assertThat(test.z()).isZero();
        assertThat(test.p()).isEqualTo(1.0);
    }

    @Test
    void theilSenTakesTheMedianSlopeAndTheSenInterval() {
        // slopes sorted: −1, 0, 0.5, 0.667, 1, 1, 1.333, 1.5, 2, 3 (N = 10); median = (1 + 1)/2 = 1
        // C = 1.96 × √15.667 = 7.758; M1 = (10 − 7.758)/2 = 1.121 → −1 + 0.121 × (0 − (−1)) = −0.879
        // M2 + 1 = (10 + 7.758)/2 + 1 = 9.879 → 2 + 0.879 × (3 − 2) = 2.879
        // intercept = median(10−1, 12−2, 11−3, 14−4, 14−5) = median(9, 10, 8, 10, 9) = 9
        TheilSen fit = TheilSen.fit(T, Y, MannKendall.of(Y).variance());
        double c = Normal.Z_95 * Math.sqrt(282.0 / 18);

        assertThat(fit.pairs()).isEqualTo(10);
        assertThat(fit.slope()).isEqualTo(1.0);
        assertThat(fit.low()).isCloseTo(-1 + ((10 - c) / 2 - 1), within(1e-12));
        assertThat(fit.low()).isCloseTo(-0.879, within(1e-3));
        assertThat(fit.high()).isCloseTo(2 + ((10 + c) / 2 + 1 - 9), within(1e-12));
        assertThat(fit.high()).isCloseTo(2.879, within(1e-3));
        assertThat(fit.intercept()).isEqualTo(9.0);
        assertThat(fit.at(1)).isEqualTo(10.0);
    }

    @Test
    void theilSenIgnoresAnOutlierThatWouldTiltLeastSquares() {
        // y = 2t except a wild 100 at t = 3: every pair without it has slope 2, so the median is 2
        double[] t = {0, 1, 2, 3, 4, 5, 6};
        double[] y = {0, 2, 4, 100, 8, 10, 12};

        TheilSen fit = TheilSen.fit(t, y, MannKendall.of(y).variance());

        assertThat(fit.slope()).isEqualTo(2.0);
        assertThat(fit.intercept()).isEqualTo(0.0);
    }

    @Test
    void theilSenSkipsPairsAtTheSameTime() {
        double[] t = {0, 0, 1};
        double[] y = {1, 3, 4};

        TheilSen fit = TheilSen.fit(t, y, MannKendall.of(y).variance());

        // slopes (0→1): 3 and 1; the pair at t = 0 has none → median 2
        assertThat(fit.pairs()).isEqualTo(2);
        assertThat(fit.slope()).isEqualTo(2.0);
    }

    @Test
    void normalDistributionMatchesTables() {
        assertThat(Normal.cdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(Normal.cdf(Normal.Z_95)).isCloseTo(0.975, within(1e-7));
        assertThat(Normal.cdf(-1)).isCloseTo(0.158655, within(1e-6));
    }
}
