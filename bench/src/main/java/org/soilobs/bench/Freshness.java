package org.soilobs.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a freshness histogram (values in microseconds), or of none when no marker was measured.
 *
 * @param count markers measured
 * @param missed markers that had not arrived when the step's wait ended; each is also counted in the
 *     histogram at the time waited, so that a lost marker raises the percentiles instead of vanishing
 */
public record Freshness(long count, long missed, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    /** The highest freshness a histogram holds: anything later is recorded at this value. */
    public static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

    public static Histogram histogram() {
        return new Histogram(MAX_MICROS, 3);
    }

    public static Freshness of(Histogram micros, long missed) {
        if (micros.getTotalCount() == 0) {
            return new Freshness(0, missed, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Freshness(micros.getTotalCount(), missed, ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(95)), ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()));
    }

    /** Records one measurement, clamped to the histogram's range (a negative one is a clock step: zero). */
    public static void record(Histogram micros, long value) {
        micros.recordValue(Math.max(0, Math.min(value, MAX_MICROS)));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
