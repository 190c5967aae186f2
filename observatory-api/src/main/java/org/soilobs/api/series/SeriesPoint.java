package org.soilobs.api.series;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import org.soilobs.api.store.Measures;
import org.soilobs.model.Aggregate;
import org.soilobs.model.Stats;

/**
 * One bucket of a series.
 *
 * @param value the headline value: mean at field level, area-weighted mean above
 * @param stddev sample standard deviation of good readings; null with fewer than two
 * @param areaHa area of the fields that contributed good readings
 * @param flagged every reading counted, whatever its quality flag
 * @param flags readings by quality flag ({@code G} = good)
 */
@JsonPropertyOrder({"bucket", "count", "mean", "value", "min", "max", "stddev", "members", "area_ha", "flagged", "flags"})
public record SeriesPoint(
        Instant bucket,
        long count,
        Double mean,
        Double value,
        Double min,
        Double max,
        Double stddev,
        int members,
        double areaHa,
        long flagged,
        SortedMap<String, Long> flags) {

    public static final List<String> CSV_HEADER =
            List.of("bucket", "count", "mean", "value", "min", "max", "stddev", "members", "area_ha",
                    "flagged", "flags");

    public static SeriesPoint of(Aggregate aggregate) {
        Stats stats = aggregate.stats();
        return new SeriesPoint(aggregate.key().bucket(), stats.count(), Measures.mean(aggregate),
                Measures.value(aggregate), stats.min(), stats.max(), Measures.stddev(aggregate), aggregate.members(),
                stats.areaHa(), stats.flaggedTotal(), stats.flags());
    }

    /** The CSV row, in {@link #CSV_HEADER} order; flags as {@code G=12;D06=1}. */
    public List<String> csvRow() {
        StringBuilder flagText = new StringBuilder();
        flags.forEach((flag, n) -> {
            if (flagText.length() > 0) {
                flagText.append(';');
            }
            flagText.append(flag).append('=').append(n);
        });
        return Arrays.asList(bucket.toString(), Long.toString(count), text(mean), text(value), text(min),
                text(max), text(stddev), Integer.toString(members), Double.toString(areaHa), Long.toString(flagged),
                flagText.toString());
    }

    private static String text(Double value) {
        return value == null ? null : value.toString();
    }
}
