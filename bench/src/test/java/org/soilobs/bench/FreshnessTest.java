package org.soilobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FreshnessTest {

    @Test
    void percentilesOfAHundredMarkers() {
        Histogram micros = Freshness.histogram();
        for (int ms = 1; ms <= 100; ms++) {
            Freshness.record(micros, ms * 1_000L);
        }
        Freshness freshness = Freshness.of(micros, 0);
        assertThat(freshness.count()).isEqualTo(100);
        // HdrHistogram keeps 3 significant digits: each figure within 0.1 %.
        assertThat(freshness.p50Ms()).isCloseTo(50, within(0.1));
        assertThat(freshness.p95Ms()).isCloseTo(95, within(0.1));
        assertThat(freshness.p99Ms()).isCloseTo(99, within(0.1));
        assertThat(freshness.maxMs()).isCloseTo(100, within(0.1));
    }

    @Test
    void nothingMeasuredHasNoPercentiles() {
        Freshness freshness = Freshness.of(Freshness.histogram(), 3);
        assertThat(freshness.count()).isZero();
        assertThat(freshness.missed()).isEqualTo(3);
        assertThat(freshness.p99Ms()).isNaN();
    }

    @Test
    void clampsToTheHistogramsRange() {
        Histogram micros = Freshness.histogram();
        Freshness.record(micros, -5);
        Freshness.record(micros, Long.MAX_VALUE);
        assertThat(micros.getMinValue()).isZero();
        assertThat(micros.getMaxValue()).isGreaterThanOrEqualTo(Freshness.MAX_MICROS);
        assertThat(micros.getTotalCount()).isEqualTo(2);
    }
}
