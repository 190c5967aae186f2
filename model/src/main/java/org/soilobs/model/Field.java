package org.soilobs.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A registered parcel (DESIGN §5). Its placement is computed once, at registration.
 *
 * @param areaHa area in hectares, the weight of the field in area-weighted means
 * @param bulkDensity fine-earth bulk density, g/cm3
 * @param coarseFraction volume fraction of coarse fragments, 0..1
 * @param depthCm sampling depth for SOC stocks, cm (30 by default)
 * @param sandFraction sand fraction of the fine earth, 0..1; null when the texture is not known
 * @param clayFraction clay fraction of the fine earth, 0..1; null when the texture is not known. Sand and
 *     clay are known together or not at all; a field with a known texture has its VWC readings checked
 *     against saturation (ISMN C03, docs/science.md "Saturation")
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
        Placement placement,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double sandFraction,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double clayFraction) {

    /** Particle density of mineral soil, g/cm3 (Hillel 2004): porosity = 1 − bulk density / 2.65. */
    public static final double PARTICLE_DENSITY = 2.65;

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
        if ((sandFraction == null) != (clayFraction == null)) {
            throw new IllegalArgumentException("field " + id + " needs both sand and clay fractions, or neither");
        }
        if (sandFraction != null && !(sandFraction >= 0 && clayFraction >= 0 && sandFraction + clayFraction <= 1)) {
            throw new IllegalArgumentException("field " + id + " sand and clay must be fractions adding up to at most 1: "
                    + sandFraction + ", " + clayFraction);
        }
    }

    /** A field whose soil texture is not known. */
    public Field(String id, double lon, double lat, double areaHa, String landUse, double bulkDensity,
                 double coarseFraction, int depthCm, Placement placement) {
        this(id, lon, lat, areaHa, landUse, bulkDensity, coarseFraction, depthCm, placement, null, null);
    }

    /** The same field with its soil texture known. */
    public Field withTexture(double sand, double clay) {
        return new Field(id, lon, lat, areaHa, landUse, bulkDensity, coarseFraction, depthCm, placement, sand, clay);
    }

    /** Whether the registration describes the soil's texture. */
    @JsonIgnore
    public boolean hasTexture() {
        return sandFraction != null;
    }

    /**
     * The volumetric water content at saturation, m3/m3: the porosity {@code 1 − ρb / 2.65}, the practical
     * choice of the ISMN (docs/science.md, "Saturation"); null when the texture is not known.
     */
    @JsonIgnore
    public Double saturation() {
        return hasTexture() ? 1 - bulkDensity / PARTICLE_DENSITY : null;
    }
}
