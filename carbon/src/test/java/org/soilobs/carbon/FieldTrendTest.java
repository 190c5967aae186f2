package org.soilobs.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.model.Level;
import org.soilobs.model.Progress;
import org.soilobs.model.Progress.Status;

class FieldTrendTest {

    private static final LocalDate START = LocalDate.parse("2022-01-01");

    /**
     * Month points on the 15th, value = s0 × (1 + rate × years) + wobble × sin(2.4 i) t C/ha: a deterministic,
     * irregular deviation of amplitude {@code wobble}.
     */
    private static List<MonthPoint> months(int count, double s0, double rate, double wobble, int days) {
        List<MonthPoint> months = new ArrayList<>();
        double first = START.withDayOfMonth(15).toEpochDay();
        for (int i = 0; i < count; i++) {
            LocalDate day = START.plusMonths(i).withDayOfMonth(15);
            double years = (day.toEpochDay() - first) / FieldTrend.DAYS_PER_YEAR;
            double value = s0 * (1 + rate * years) + wobble * Math.sin(2.4 * i);
            months.add(new MonthPoint(day.toString().substring(0, 7), days, day.toEpochDay(), value));
        }
        return months;
    }

    @ParameterizedTest(name = "{0} months of {1} days → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            11 | 30 | insufficient_data
            12 | 30 | insufficient_data
            13 | 30 | on_track
            13 |  9 | insufficient_data
            13 | 10 | on_track
            """)
    void needsTwelveUsableMonthsOverAYear(int count, int days, String status) {
        // 12 months from mid-January to mid-December span 334 days: not yet a year
        FieldTrend trend = FieldTrend.of(months(count, 60, 0.01, 0.01, days));

        assertThat(trend.status().id()).isEqualTo(status);
    }

    @ParameterizedTest(name = "rate {0} ± wobble {1} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0.008  | 0.05 | on_track
            0.0045 | 0    | on_track
            0.004  | 0.3  | not_on_track
            0.002  | 0.05 | not_on_track
            0      | 0.05 | not_on_track
            -0.003 | 0.05 | losing
            -0.003 | 2    | not_on_track
            """)
    void judgesTheWholeIntervalAgainstTheTarget(double rate, double wobble, String status) {
        FieldTrend trend = FieldTrend.of(months(36, 60, rate, wobble, 30));

        assertThat(trend.status().id()).isEqualTo(status);
        assertThat(trend.rateLow()).isLessThanOrEqualTo(trend.rate());
        assertThat(trend.rateHigh()).isGreaterThanOrEqualTo(trend.rate());
    }

    @Test
    void recoversAnExactLinearRateAgainstTheBaselineAtTheFirstPoint() {
        FieldTrend trend = FieldTrend.of(months(36, 60, 0.004, 0, 30));

        assertThat(trend.baseline()).isCloseTo(60, within(1e-9));
        assertThat(trend.rate()).isCloseTo(0.004, within(1e-12));
        assertThat(trend.fit().slope()).isCloseTo(0.24, within(1e-12));
        assertThat(trend.points()).isEqualTo(36);
        assertThat(trend.test().p()).isLessThan(1e-6);
    }

    @Test
    void aggregatesAreStockWeightedNotMeansOfRates() {
        // field A: 10 ha at S0 = 60, b = 0.48 t C/ha/yr (r = 0.008); field B: 90 ha at S0 = 30, b = 0 (r = 0)
        // ΔT = 10 × 0.48 + 90 × 0 = 4.8 t C/yr; T0 = 10 × 60 + 90 × 30 = 3300 t C; r = 4.8 / 3300 = 0.001455
        // (a mean of field rates would say 0.004, an area-weighted one 0.0008)
        Instant asOf = Instant.parse("2024-12-15T00:00:00Z");
        FieldTrend trendA = FieldTrend.of(months(36, 60, 0.008, 0.01, 30));
        FieldTrend trendB = FieldTrend.of(months(36, 30, 0, 0.01, 30));
        ProgressTotals a = ProgressTotals.ofField(trendA, 10, asOf);
        ProgressTotals b = ProgressTotals.ofField(trendB, 90, asOf);

        Progress country = a.plus(b).toProgress(Level.COUNTRY, "FRA");

        double deltaT = 10 * trendA.fit().slope() + 90 * trendB.fit().slope();
        double baselineT = 10 * trendA.baseline() + 90 * trendB.baseline();
        assertThat(country.deltaTPerYear()).isCloseTo(deltaT, within(1e-12)).isCloseTo(4.8, within(0.05));
        assertThat(country.baselineStockT()).isCloseTo(baselineT, within(1e-9)).isCloseTo(3300, within(0.5));
        assertThat(country.rate()).isCloseTo(deltaT / baselineT, within(1e-15)).isCloseTo(4.8 / 3300, within(2e-5));
        assertThat(country.fields()).isEqualTo(2);
        assertThat(country.fieldsByStatus()).containsEntry("on_track", 1).containsEntry("not_on_track", 1);
        double sigmaA = 10 * (trendA.fit().high() - trendA.fit().low()) / (2 * 1.959964);
        double sigmaB = 90 * (trendB.fit().high() - trendB.fit().low()) / (2 * 1.959964);
        double half = 1.959964 * Math.sqrt(sigmaA * sigmaA + sigmaB * sigmaB) / baselineT;
        assertThat(country.rateLow()).isCloseTo(deltaT / baselineT - half, within(1e-9));
        assertThat(country.rateHigh()).isCloseTo(deltaT / baselineT + half, within(1e-9));
        assertThat(country.status()).isEqualTo(Status.NOT_ON_TRACK);
    }

    @Test
    void anAreaWithoutAnyTrendHasNoRate() {
        Instant asOf = Instant.parse("2022-06-15T00:00:00Z");
        ProgressTotals young = ProgressTotals.ofField(FieldTrend.of(months(5, 60, 0, 0, 30)), 10, asOf);

        Progress country = young.toProgress(Level.COUNTRY, "FRA");

        assertThat(country.status()).isEqualTo(Status.INSUFFICIENT_DATA);
        assertThat(country.rate()).isNull();
        assertThat(country.coverage()).isZero();
        assertThat(country.stockT()).isCloseTo(600, within(1e-9));
    }
}
