package org.soilobs.streams.quality;

import java.util.EnumMap;
import java.util.Map;
import org.soilobs.model.Quantity;

/**
 * The thresholds quality control judges one quantity by (docs/science.md, "Quality control").
 *
 * @param plausibleMin below it a working sensor does not report (C01); at {@link Quantity#hardMin()} where
 *     the literature gives no tighter bound, so that C01 then cannot fire
 * @param plausibleMax above it a working sensor does not report (C02), {@link Quantity#plausibleMax()}
 * @param stepRelative a step between consecutive readings is a drop or jump (D07/D08) only when it exceeds
 *     this fraction of the earlier value; 0 where a relative change means nothing (temperature, pH)
 * @param stepAbsolute … and also exceeds this many canonical units
 * @param spikeRelative a spike (D06) rises or falls by more than this fraction (ISMN: 15 %) …
 */
public record Limits(double plausibleMin, double plausibleMax, double stepRelative, double stepAbsolute,
                     double spikeRelative) {

    private static final Map<Quantity, Limits> BY_QUANTITY = new EnumMap<>(Quantity.class);

    static {
        // Dorigo et al. (2013): drop/jump > 10 % and > 0.01 m3/m3, spike > 15 %.
        put(Quantity.VWC, Quantity.VWC.hardMin(), 0.10, 0.01, 0.15);
        // Absolute steps only: a relative change of a temperature near 0 °C or of a logarithmic pH is meaningless.
        put(Quantity.SOIL_TEMPERATURE, Quantity.SOIL_TEMPERATURE.hardMin(), 0, 5, 0);
        put(Quantity.PH, 3.0, 0, 0.5, 0);
        put(Quantity.EC, Quantity.EC.hardMin(), 0.10, 0.1, 0.15);
        put(Quantity.NITRATE, Quantity.NITRATE.hardMin(), 0.10, 5, 0.15);
        put(Quantity.CO2_FLUX, Quantity.CO2_FLUX.hardMin(), 0.10, 1, 0.15);
        put(Quantity.SOC, Quantity.SOC.hardMin(), 0.10, 2, 0.15);
        put(Quantity.BULK_DENSITY, 0.1, 0.10, 0.1, 0.15);
    }

    public Limits {
        if (!(plausibleMin <= plausibleMax) || stepRelative < 0 || !(stepAbsolute > 0) || spikeRelative < 0) {
            throw new IllegalArgumentException("inconsistent quality-control limits");
        }
    }

    public static Limits of(Quantity quantity) {
        return BY_QUANTITY.get(quantity);
    }

    private static void put(Quantity quantity, double plausibleMin, double stepRelative, double stepAbsolute,
                            double spikeRelative) {
        BY_QUANTITY.put(quantity,
                new Limits(plausibleMin, quantity.plausibleMax(), stepRelative, stepAbsolute, spikeRelative));
    }

    /** Whether going from {@code from} to {@code to} is a step (D07/D08): beyond both thresholds. */
    boolean isStep(double from, double to) {
        return exceeds(from, to, stepRelative);
    }

    /** Whether going from {@code from} to {@code to} is steep enough to be one side of a spike (D06). */
    boolean isSpikeEdge(double from, double to) {
        return exceeds(from, to, Math.max(spikeRelative, stepRelative));
    }

    private boolean exceeds(double from, double to, double relative) {
        double change = Math.abs(to - from);
        return change > stepAbsolute && change > relative * Math.abs(from);
    }
}
