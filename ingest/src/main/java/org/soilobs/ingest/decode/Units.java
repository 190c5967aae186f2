package org.soilobs.ingest.decode;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.soilobs.model.Quantity;

/**
 * Units accepted at the edge, by their UCUM codes, and their conversion to each quantity's canonical
 * unit (DESIGN §3). A unit listed for some quantity but not for the one at hand is a mismatch
 * ({@code unit_mismatch}); a unit listed nowhere is unknown ({@code unknown_unit}).
 */
public final class Units {

    private static final Map<Quantity, Map<String, DoubleUnaryOperator>> TABLE = new EnumMap<>(Quantity.class);
    private static final Set<String> KNOWN = new HashSet<>();

    static {
        // derived quantities (soc_stock) have no accepted unit: the decoders never take them from a gateway
        for (Quantity quantity : Quantity.measured()) {
            accept(quantity, quantity.unit(), DoubleUnaryOperator.identity());
        }
        // percent by mass: 1 % = 10 g/kg
        accept(Quantity.SOC, "%", v -> v * 10);
        accept(Quantity.SOC, "mg/g", DoubleUnaryOperator.identity());
        accept(Quantity.BULK_DENSITY, "kg/m3", v -> v / 1000);
        accept(Quantity.BULK_DENSITY, "t/m3", DoubleUnaryOperator.identity());
        accept(Quantity.BULK_DENSITY, "Mg/m3", DoubleUnaryOperator.identity());
        // percent by volume
        accept(Quantity.VWC, "%", v -> v / 100);
        // SenML's ratio unit
        accept(Quantity.VWC, "/", DoubleUnaryOperator.identity());
        accept(Quantity.VWC, "cm3/cm3", DoubleUnaryOperator.identity());
        accept(Quantity.SOIL_TEMPERATURE, "K", v -> v - 273.15);
        accept(Quantity.SOIL_TEMPERATURE, "[degF]", v -> (v - 32) * 5 / 9);
        accept(Quantity.EC, "mS/cm", DoubleUnaryOperator.identity());
        accept(Quantity.EC, "uS/cm", v -> v / 1000);
        accept(Quantity.EC, "S/m", v -> v * 10);
        accept(Quantity.EC, "mS/m", v -> v / 100);
        accept(Quantity.NITRATE, "ug/g", DoubleUnaryOperator.identity());
    }

    private Units() {
    }

    private static void accept(Quantity quantity, String unit, DoubleUnaryOperator toCanonical) {
        TABLE.computeIfAbsent(quantity, q -> new LinkedHashMap<>()).put(unit, toCanonical);
        KNOWN.add(unit);
    }

    /** The conversion of {@code unit} to the canonical unit of {@code quantity}, if it is one of its units. */
    public static Optional<DoubleUnaryOperator> toCanonical(Quantity quantity, String unit) {
        return Optional.ofNullable(TABLE.getOrDefault(quantity, Map.of()).get(unit));
    }

    /** Whether {@code unit} is accepted for any quantity. */
    public static boolean isKnown(String unit) {
        return KNOWN.contains(unit);
    }

    /** The units accepted for {@code quantity}, its canonical unit first. */
    public static Set<String> accepted(Quantity quantity) {
        return Collections.unmodifiableSet(TABLE.getOrDefault(quantity, Map.of()).keySet());
    }
}
