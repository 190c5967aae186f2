package org.soilobs.api.ogc;

import java.util.List;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;

/**
 * The {@code bbox} of an OGC API – Features items request, in CRS84 (longitude, latitude): four numbers,
 * or six with heights, which are ignored as every feature here lies on the surface. A west edge east of
 * the east edge crosses the antimeridian, as the standard allows.
 */
record Bbox(double west, double south, double east, double north) {

    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    static Bbox parse(String raw) {
        String[] parts = raw.split(",", -1);
        if (parts.length != 4 && parts.length != 6) {
            throw invalid(raw, "give four numbers (or six with heights): west,south,east,north");
        }
        double[] numbers = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                numbers[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw invalid(raw, "'" + parts[i].trim() + "' is not a number");
            }
            if (!Double.isFinite(numbers[i])) {
                throw invalid(raw, "every number must be finite");
            }
        }
        int half = parts.length / 2;
        Bbox bbox = new Bbox(numbers[0], numbers[1], numbers[half], numbers[half + 1]);
        if (Math.abs(bbox.west) > 180 || Math.abs(bbox.east) > 180) {
            throw invalid(raw, "longitudes lie in -180..180");
        }
        if (Math.abs(bbox.south) > 90 || Math.abs(bbox.north) > 90 || bbox.south > bbox.north) {
            throw invalid(raw, "latitudes lie in -90..90 with south ≤ north");
        }
        return bbox;
    }

    /** One envelope, or two when the box crosses the antimeridian. */
    List<Envelope> envelopes() {
        if (west <= east) {
            return List.of(new Envelope(west, east, south, north));
        }
        return List.of(new Envelope(west, 180, south, north), new Envelope(-180, east, south, north));
    }

    boolean contains(double lon, double lat) {
        return envelopes().stream().anyMatch(envelope -> envelope.covers(lon, lat));
    }

    /** Whether an area's boundary meets the box: its envelope first, the exact shape only if that does. */
    boolean intersects(Geometry geometry) {
        Envelope bounds = geometry.getEnvelopeInternal();
        for (Envelope envelope : envelopes()) {
            if (envelope.intersects(bounds) && geometry.intersects(GEOMETRY.toGeometry(envelope))) {
                return true;
            }
        }
        return false;
    }

    String query() {
        return trim(west) + "," + trim(south) + "," + trim(east) + "," + trim(north);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static ProblemException invalid(String raw, String reason) {
        return new ProblemException(ProblemType.INVALID_BBOX,
                "Query parameter 'bbox' is not a bounding box: " + reason + "; was '"
                        + QueryParams.echo(raw) + "'.",
                "bbox");
    }
}
