package org.soilobs.model;

import java.util.Objects;

/**
 * A registered parcel (DESIGN §5). Its placement is computed once, at registration.
 *
 * @param areaHa area in hectares, the weight of the field in area-weighted means
 * @param bulkDensity fine-earth bulk density, g/cm3
 * @param coarseFraction volume fraction of coarse fragments, 0..1
 * @param depthCm sampling depth for SOC stocks, cm (30 by default)
 */
public record Field(
        String id,
        double lon,
        double lat,
        double areaHa,
        String landUse,
        double bulkDensity,
        double coarseFraction,
        int depthCm,
        Placement placement) {

    public Field {
        Reading.requireText(id, "id");
        if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("field " + id + " has no valid lon/lat: " + lon + ", " + lat);
        }
        if (!(areaHa > 0) || !Double.isFinite(areaHa)) {
            throw new IllegalArgumentException("field " + id + " area must be positive, was " + areaHa);
        }
        Reading.requireText(landUse, "landUse");
        if (!Quantity.BULK_DENSITY.isPossible(bulkDensity)) {
            throw new IllegalArgumentException("field " + id + " bulk density out of range: " + bulkDensity);
        }
        if (!(coarseFraction >= 0 && coarseFraction < 1)) {
            throw new IllegalArgumentException("field " + id + " coarse fraction must be in [0, 1): " + coarseFraction);
        }
        if (depthCm <= 0) {
            throw new IllegalArgumentException("field " + id + " depth must be positive: " + depthCm);
        }
        Objects.requireNonNull(placement, "placement");
    }
}
