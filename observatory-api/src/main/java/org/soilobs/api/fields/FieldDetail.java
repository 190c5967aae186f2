package org.soilobs.api.fields;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.soilobs.api.series.SeriesPoint;

/**
 * {@code GET /api/v1/fields/{id}}: a registered field, the latest reading of each quantity it measures
 * and the last {@link FieldRoutes#DAILY_POINTS} daily buckets of each, oldest first.
 */
@JsonPropertyOrder({"id", "lon", "lat", "area_ha", "land_use", "depth_cm", "country", "subregion", "region", "latest",
    "daily"})
public record FieldDetail(
        String id,
        double lon,
        double lat,
        double areaHa,
        String landUse,
        int depthCm,
        String country,
        String subregion,
        String region,
        List<LatestReading> latest,
        Map<String, List<SeriesPoint>> daily) {

    /** The newest stored reading of one quantity, whatever its quality flags. */
    @JsonPropertyOrder({"quantity", "unit", "time", "value", "sensor", "flags"})
    public record LatestReading(String quantity, String unit, Instant time, double value, String sensor,
            List<String> flags) {
    }
}
