package org.soilobs.carbon;

import org.soilobs.model.Stats;

/**
 * Soil organic carbon stock of a layer (DESIGN §6; IPCC 2006 vol. 4 eq. 2.23 form; docs/science.md "SOC
 * stock"):
 *
 * <pre>stock (t C/ha) = SOC (g/kg) × bulk density (g/cm³) × depth (cm) × (1 − coarse fraction) × 0.1</pre>
 *
 * <p>The 0.1 is the units: g C/kg soil × g soil/cm³ × cm = 10⁻³ g C/cm², and 1 ha = 10⁸ cm², so 10⁵ g C/ha
 * = 0.1 t C/ha. A published variant with 0.01 is ten times too small.
 */
public final class SocStock {

    private SocStock() {
    }

    /** @return the stock in t C/ha */
    public static double tonnesPerHectare(double socGPerKg, double bulkDensity, double depthCm, double coarseFraction) {
        if (!(socGPerKg >= 0) || !Double.isFinite(socGPerKg)) {
            throw new IllegalArgumentException("SOC must be a non-negative g/kg value, was " + socGPerKg);
        }
        return socGPerKg * factor(bulkDensity, depthCm, coarseFraction);
    }

    /**
     * The t C/ha per g/kg of SOC for a layer: stock = SOC × factor. A day's stock statistics are its SOC
     * statistics scaled by this one number.
     */
    public static double factor(double bulkDensity, double depthCm, double coarseFraction) {
        if (!(bulkDensity > 0) || !Double.isFinite(bulkDensity)) {
            throw new IllegalArgumentException("bulk density must be positive g/cm3, was " + bulkDensity);
        }
        if (!(depthCm > 0) || !Double.isFinite(depthCm)) {
            throw new IllegalArgumentException("depth must be positive cm, was " + depthCm);
        }
        if (!(coarseFraction >= 0 && coarseFraction < 1)) {
            throw new IllegalArgumentException("coarse fraction must be in [0, 1), was " + coarseFraction);
        }
        return bulkDensity * depthCm * (1 - coarseFraction) * 0.1;
    }

    /**
     * A day's stock statistics from its SOC statistics: every good reading's stock is its SOC × {@code factor},
     * so count, first and last stay, sums and extremes scale, squares scale by factor². Area weights are
     * left out: the caller weights the result by the field's area.
     */
    public static Stats stats(Stats soc, double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("a stock factor is positive, was " + factor);
        }
        if (soc.count() == 0) {
            return new Stats(0, 0, 0, null, null, null, null, 0, 0, soc.flags());
        }
        return new Stats(soc.count(), soc.sum() * factor, soc.sumSq() * factor * factor, soc.min() * factor,
                soc.max() * factor, soc.first(), soc.last(), 0, 0, soc.flags());
    }
}
