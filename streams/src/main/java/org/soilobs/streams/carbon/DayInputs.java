package org.soilobs.streams.carbon;

import org.soilobs.model.Stats;

/**
 * What one field-day has so far: its SOC statistics and its measured bulk density, each null until its
 * aggregate arrives.
 *
 * @param bulkDensity the day's mean bulk density, g/cm³; null without a good reading that day
 */
public record DayInputs(Stats soc, Double bulkDensity) {

    public DayInputs {
        if (bulkDensity != null && !(bulkDensity > 0)) {
            throw new IllegalArgumentException("bulk density must be positive: " + bulkDensity);
        }
    }

    public static DayInputs empty() {
        return new DayInputs(null, null);
    }

    public DayInputs withSoc(Stats stats) {
        return new DayInputs(stats, bulkDensity);
    }

    /** A day whose bulk-density readings were all flagged has none measured. */
    public DayInputs withBulkDensity(Stats stats) {
        return new DayInputs(soc, stats.count() == 0 ? null : stats.mean());
    }
}
