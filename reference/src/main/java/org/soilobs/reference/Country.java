package org.soilobs.reference;

import java.util.Objects;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygonal;
import org.soilobs.model.Placement;

/**
 * A country or area with its boundary (Natural Earth 1:50m) and its place in the UN M49 hierarchy.
 *
 * @param iso3 ISO 3166-1 alpha-3, or one of the documented assignments in {@code seeds/README.md}
 *     (e.g. {@code XKX} Kosovo)
 * @param m49 3-digit numeric code
 * @param subregion M49 sub-region code
 * @param region M49 region code
 * @param geometry a Polygon or MultiPolygon in WGS 84 longitude/latitude
 */
public record Country(String iso3, String m49, String name, String subregion, String region, Geometry geometry) {

    public Country {
        if (iso3 == null || !iso3.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("iso3 must be three capital letters, was " + iso3);
        }
        if (m49 == null || !m49.matches("\\d{3}")) {
            throw new IllegalArgumentException(iso3 + ": m49 must be three digits, was " + m49);
        }
        Area.requireText(name, "name");
        Area.requireText(subregion, "subregion");
        Area.requireText(region, "region");
        Objects.requireNonNull(geometry, "geometry");
        if (!(geometry instanceof Polygonal) || geometry.isEmpty()) {
            throw new IllegalArgumentException(iso3 + ": geometry must be a non-empty (multi)polygon, was "
                    + geometry.getGeometryType());
        }
    }

    public Placement placement() {
        return new Placement(iso3, subregion, region);
    }
}
