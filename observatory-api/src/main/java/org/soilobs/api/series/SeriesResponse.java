package org.soilobs.api.series;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;

/** The JSON body of a series: what was asked, and the buckets in time order. */
@JsonPropertyOrder({"level", "area", "name", "quantity", "unit", "resolution", "from", "to", "points"})
public record SeriesResponse(
        Level level,
        String area,
        String name,
        Quantity quantity,
        String unit,
        Resolution resolution,
        Instant from,
        Instant to,
        List<SeriesPoint> points) {

    public SeriesResponse {
        points = List.copyOf(points);
    }
}
