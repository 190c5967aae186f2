package org.soilobs.reference;

import java.util.Objects;
import org.soilobs.model.Field;
import org.soilobs.model.Placement;

/** Registers fields: a field's placement in the hierarchy is found once, here, from its point. */
public final class FieldRegistrar {

    private final CountryLocator locator;

    public FieldRegistrar(CountryLocator locator) {
        this.locator = Objects.requireNonNull(locator, "locator");
    }

    public FieldRegistrar(ReferenceData reference) {
        this(reference.locator());
    }

    /**
     * A field at this point, placed in the country that covers it.
     *
     * @throws IllegalArgumentException when the point is not a WGS 84 coordinate, lies in no country
     *     (sea, Antarctica, or an area too small for the 1:50m boundaries), or a property is invalid
     */
    public Field register(String id, double lon, double lat, double areaHa, String landUse, double bulkDensity,
            double coarseFraction, int depthCm) {
        if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("field " + id + ": not a WGS 84 longitude/latitude: " + lon + ", " + lat);
        }
        Placement placement = locator.placementAt(lon, lat).orElseThrow(() -> new IllegalArgumentException(
                "field " + id + ": point " + lon + ", " + lat + " (lon, lat) lies in no country of the reference "
                        + "data: on sea, in Antarctica or in an area the 1:50m boundaries do not draw"));
        return new Field(id, lon, lat, areaHa, landUse, bulkDensity, coarseFraction, depthCm, placement);
    }
}
