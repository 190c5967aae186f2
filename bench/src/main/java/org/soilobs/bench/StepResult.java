package org.soilobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step of the pipeline ramp measured, and whether the pipeline sustained its rate: the
 * simulator delivered at least {@link #MIN_DELIVERED} of the offered rate, p99 freshness through the
 * API stayed within {@link #MAX_P99_MS}, and the lag of every consumer group stayed flat
 * ({@link LagTrend}).
 *
 * @param offered readings/s the simulator was scheduled to publish
 * @param achieved readings/s the broker acknowledged during the measured window
 * @param ingested readings/s ingest wrote to {@code soil.readings.raw} during the window (behind
 *     {@code achieved} when the broker queues what ingest cannot take)
 * @param toDatabase freshness publish → committed in PostgreSQL
 * @param toApi freshness publish → visible through the API
 * @param lag each consumer group's lag trend
 * @param cpuMicrosPerReading core-µs per reading of each stage (threads grouped by name, plus PostgreSQL)
 * @param cores cores busy on average: the stack's JVM and PostgreSQL together
 * @param jvmRssMiB highest resident size of the stack's JVM sampled during the step
 * @param postgresRssMiB highest summed resident size of PostgreSQL's processes sampled during the step
 * @param heapUsedMiB highest heap in use sampled during the step
 * @param loadAverage the machine's 1-minute load average at the end of the step
 */
public record StepResult(
        int step,
        double offered,
        double achieved,
        double ingested,
        double seconds,
        long skipped,
        Freshness toDatabase,
        Freshness toApi,
        Map<String, LagTrend.Trend> lag,
        Map<String, Double> cpuMicrosPerReading,
        double cores,
        double jvmRssMiB,
        double postgresRssMiB,
        double heapUsedMiB,
        double loadAverage) {

    public static final double MAX_P99_MS = 1000;
    public static final double MIN_DELIVERED = 0.95;

    public StepResult {
        Objects.requireNonNull(toDatabase, "toDatabase");
        Objects.requireNonNull(toApi, "toApi");
        lag = Map.copyOf(lag);
        cpuMicrosPerReading = Map.copyOf(cpuMicrosPerReading);
        if (!(offered > 0) || achieved < 0 || !(seconds > 0)) {
            throw new IllegalArgumentException("a step has a positive offered rate and duration");
        }
    }

    /** Why the pipeline did not sustain this step; empty when it did. */
    public List<String> shortfalls() {
        List<String> reasons = new ArrayList<>();
        if (achieved < MIN_DELIVERED * offered) {
            reasons.add(String.format(Locale.ROOT, "delivered %.0f %% of the offered rate", 100 * achieved / offered));
        }
        if (ingested < MIN_DELIVERED * achieved) {
            reasons.add(String.format(Locale.ROOT, "ingest forwarded %.0f %% of the published rate", 100 * ingested / achieved));
        }
        if (toApi.count() == 0) {
            reasons.add("no freshness marker measured");
        } else if (!(toApi.p99Ms() <= MAX_P99_MS)) {
            reasons.add(String.format(Locale.ROOT, "p99 freshness %.0f ms", toApi.p99Ms()));
        }
        if (toApi.missed() > 0) {
            reasons.add(toApi.missed() + " markers not seen");
        }
        lag.forEach((group, trend) -> {
            if (!trend.flat()) {
                reasons.add(String.format(Locale.ROOT, "%s lag grows %.0f/s", group, trend.slopePerSecond()));
            }
        });
        return reasons;
    }

    public boolean sustained() {
        return shortfalls().isEmpty();
    }

    /** The highest offered rate among the sustained steps, if any was. */
    public static Optional<StepResult> highestSustained(List<StepResult> steps) {
        StepResult best = null;
        for (StepResult step : steps) {
            if (step.sustained() && (best == null || step.offered() > best.offered())) {
                best = step;
            }
        }
        return Optional.ofNullable(best);
    }
}
