package org.soilobs.reference;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;
import org.soilobs.model.Placement;

/**
 * Finds the country a point lies in: an STRtree over the countries' envelopes narrows the candidates,
 * prepared geometries answer point-in-polygon. Thread-safe once constructed.
 *
 * <p>A point on a border between two countries belongs to the one whose ISO alpha-3 code sorts first,
 * so that the answer never depends on the order of the input.
 */
public final class CountryLocator {

    private record Entry(Country country, PreparedGeometry prepared) {
    }

    private final STRtree index = new STRtree();
    private final int size;

    public CountryLocator(Collection<Country> countries) {
        List<Country> sorted = new ArrayList<>(countries);
        sorted.sort(Comparator.comparing(Country::iso3));
        for (Country country : sorted) {
            PreparedGeometry prepared = PreparedGeometryFactory.prepare(country.geometry());
            index.insert(country.geometry().getEnvelopeInternal(), new Entry(country, prepared));
        }
        // STRtree builds itself on the first query; building it now keeps concurrent queries read-only.
        index.build();
        size = sorted.size();
    }

    /** The country that covers the point (its interior or its border), or empty on sea and outside every country. */
    public Optional<Country> locate(double lon, double lat) {
        if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("not a WGS 84 longitude/latitude: " + lon + ", " + lat);
        }
        if (size == 0) {
            return Optional.empty();
        }
        Coordinate coordinate = new Coordinate(lon, lat);
        @SuppressWarnings("unchecked")
        List<Entry> candidates = index.query(new Envelope(coordinate));
        Country found = null;
        Point point = null;
        for (Entry entry : candidates) {
            if (found != null && entry.country().iso3().compareTo(found.iso3()) >= 0) {
                continue;
            }
            if (point == null) {
                point = entry.prepared().getGeometry().getFactory().createPoint(coordinate);
            }
            if (entry.prepared().covers(point)) {
                found = entry.country();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Where a field at this point sits in the hierarchy, or empty outside every country. */
    public Optional<Placement> placementAt(double lon, double lat) {
        return locate(lon, lat).map(Country::placement);
    }
}
