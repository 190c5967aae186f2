package org.soilobs.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The soil quantities the observatory measures, each in one canonical UCUM unit (DESIGN §3).
 *
 * <p>{@code hardMin}/{@code hardMax} bound what is physically possible: a value outside is rejected at
 * the edge. {@code plausibleMax} bounds what a working sensor reports: a value above it is kept and
 * flagged by quality control.
 */
public enum Quantity {
    SOC("soc", "g/kg", 0, 1000, 1000),
    BULK_DENSITY("bulk_density", "g/cm3", 0.01, 2.65, 2.65),
    VWC("vwc", "m3/m3", 0, 1, 0.6),
    SOIL_TEMPERATURE("soil_temperature", "Cel", -60, 60, 60),
    EC("ec", "dS/m", 0, Double.POSITIVE_INFINITY, 20),
    PH("ph", "[pH]", 1.5, 13, 13),
    NITRATE("nitrate", "mg/kg", 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY),
    CO2_FLUX("co2_flux", "umol/m2/s", 0, Double.POSITIVE_INFINITY, 30),
    /**
     * Soil organic carbon stock, t C/ha over 0–30 cm, computed by the carbon job from {@link #SOC} and
     * {@link #BULK_DENSITY} (DESIGN §6): derived, so never accepted from a gateway.
     */
    SOC_STOCK("soc_stock", "t/ha", 0, 5000, 1000, true);

    private static final Map<String, Quantity> BY_ID =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Quantity::id, Function.identity()));

    private final String id;
    private final String unit;
    private final double hardMin;
    private final double hardMax;
    private final double plausibleMax;
    private final boolean derived;

    Quantity(String id, String unit, double hardMin, double hardMax, double plausibleMax) {
        this(id, unit, hardMin, hardMax, plausibleMax, false);
    }

    Quantity(String id, String unit, double hardMin, double hardMax, double plausibleMax, boolean derived) {
        this.id = id;
        this.unit = unit;
        this.hardMin = hardMin;
        this.hardMax = hardMax;
        this.plausibleMax = plausibleMax;
        this.derived = derived;
    }

    /** The name used on the wire, in the database and in the API, e.g. {@code soil_temperature}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** The canonical UCUM unit code. */
    public String unit() {
        return unit;
    }

    public double hardMin() {
        return hardMin;
    }

    public double hardMax() {
        return hardMax;
    }

    public double plausibleMax() {
        return plausibleMax;
    }

    /** Whether the observatory computes this quantity itself: a sensor or gateway never reports it. */
    public boolean derived() {
        return derived;
    }

    /** The quantities a sensor may report, i.e. every quantity that is not {@link #derived()}. */
    public static List<Quantity> measured() {
        return Arrays.stream(values()).filter(q -> !q.derived).toList();
    }

    /** Whether a value in the canonical unit is physically possible. NaN and infinities never are. */
    public boolean isPossible(double value) {
        return Double.isFinite(value) && value >= hardMin && value <= hardMax;
    }

    public static Optional<Quantity> byId(String id) {
        return Optional.ofNullable(id == null ? null : BY_ID.get(id));
    }

    @JsonCreator
    public static Quantity fromId(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("unknown quantity: " + id));
    }
}
