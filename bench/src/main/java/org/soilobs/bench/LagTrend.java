package org.soilobs.bench;

import java.util.List;

/**
 * Whether a consumer group keeps up, from its lag sampled over a step: the least-squares slope of lag
 * over time (records per second) next to the rate at which its input grew. A group keeps up when its
 * lag grows by less than {@link #MAX_GROWTH} of its input rate, or when it ends the step less than
 * {@link #SMALL_LAG_SECONDS} of input behind (commit intervals and batches make lag a saw-tooth whose
 * slope over a short window means nothing while it stays that small).
 */
public final class LagTrend {

    public static final double MAX_GROWTH = 0.05;
    public static final double SMALL_LAG_SECONDS = 1.0;

    /** One sample: seconds since the step began, the group's lag and its input's end offsets (summed). */
    public record Sample(double seconds, long lag, long endOffsets) {
    }

    /** The trend of one group over one step. */
    public record Trend(double slopePerSecond, double inputPerSecond, long firstLag, long lastLag, long maxLag,
            boolean flat) {
    }

    private LagTrend() {
    }

    public static Trend of(List<Sample> samples) {
        if (samples.size() < 2) {
            throw new IllegalArgumentException("a trend needs at least two samples, had " + samples.size());
        }
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        double span = last.seconds() - first.seconds();
        if (!(span > 0)) {
            throw new IllegalArgumentException("samples must span some time");
        }
        double slope = slope(samples);
        double input = (last.endOffsets() - first.endOffsets()) / span;
        long max = samples.stream().mapToLong(Sample::lag).max().orElseThrow();
        boolean flat = slope <= MAX_GROWTH * input || last.lag() <= SMALL_LAG_SECONDS * input;
        return new Trend(slope, input, first.lag(), last.lag(), max, flat);
    }

    /** Least-squares slope of lag over time. */
    static double slope(List<Sample> samples) {
        double n = samples.size();
        double meanT = samples.stream().mapToDouble(Sample::seconds).sum() / n;
        double meanL = samples.stream().mapToDouble(Sample::lag).sum() / n;
        double num = 0;
        double den = 0;
        for (Sample s : samples) {
            num += (s.seconds() - meanT) * (s.lag() - meanL);
            den += (s.seconds() - meanT) * (s.seconds() - meanT);
        }
        return den == 0 ? 0 : num / den;
    }
}
