package org.soilobs.sim;

/**
 * A field's soil as a soil scientist would describe it, and the water it can hold: the texture, carbon,
 * bulk density and stones from which its moisture limits follow.
 *
 * <ul>
 *   <li>porosity (= saturated water content) {@code θs = 1 − ρb / 2.65} (particle density of mineral
 *       soil, Hillel 2004);</li>
 *   <li>field capacity {@code θ33} and wilting point {@code θ1500}: Saxton &amp; Rawls (2006), eqs. 1–2,
 *       from sand, clay and organic matter (OM = 1.724 × SOC, van Bemmelen factor).</li>
 * </ul>
 *
 * @param sand sand fraction of the fine earth, 0–1
 * @param silt silt fraction of the fine earth, 0–1
 * @param clay clay fraction of the fine earth, 0–1
 * @param soc soil organic carbon, g/kg
 * @param bulkDensity fine-earth bulk density, g/cm3
 * @param coarseFraction volume fraction of coarse fragments (&gt; 2 mm), 0–1
 * @param saturation volumetric water content at saturation, m3/m3 (the porosity)
 * @param fieldCapacity water content at −33 kPa, m3/m3
 * @param wiltingPoint water content at −1500 kPa, m3/m3
 */
public record SoilProfile(double sand, double silt, double clay, double soc, double bulkDensity,
        double coarseFraction, double saturation, double fieldCapacity, double wiltingPoint) {

    static final double PARTICLE_DENSITY = 2.65;
    static final double OM_PER_SOC = 1.724;
    private static final long TEXTURE = 0x7E87L;

    public SoilProfile {
        if (Math.abs(sand + silt + clay - 1) > 1e-6 || sand < 0 || silt < 0 || clay < 0) {
            throw new IllegalArgumentException("sand, silt and clay must be fractions adding up to 1");
        }
        if (!(wiltingPoint > 0 && wiltingPoint < fieldCapacity && fieldCapacity < saturation && saturation < 1)) {
            throw new IllegalArgumentException("need 0 < wilting point < field capacity < saturation < 1, was "
                    + wiltingPoint + ", " + fieldCapacity + ", " + saturation);
        }
    }

    /** The profile of a fleet member: texture drawn from (seed, field), the rest from its registration. */
    public static SoilProfile of(long seed, SimulatedField member) {
        long key = Noise.key(seed, Noise.hash(member.id()), TEXTURE);
        double sand = Noise.round(0.10 + 0.55 * Noise.uniform(key), 3);
        double clay = Noise.round(Math.min(0.05 + 0.45 * Noise.uniform(key + 1), 0.95 - sand), 3);
        return derive(sand, clay, member.soil().socMean(), member.field().bulkDensity(),
                member.field().coarseFraction());
    }

    /** Water limits from texture, carbon and density (see the class comment for the sources). */
    public static SoilProfile derive(double sand, double clay, double socGPerKg, double bulkDensity,
            double coarseFraction) {
        double silt = Noise.round(1 - sand - clay, 3);
        double om = OM_PER_SOC * socGPerKg / 10;
        double saturation = 1 - bulkDensity / PARTICLE_DENSITY;
        double wilting = Math.max(0.02, wiltingPoint(sand, clay, om));
        double capacity = Math.max(wilting + 0.03, Math.min(fieldCapacity(sand, clay, om), saturation - 0.03));
        return new SoilProfile(sand, silt, clay, socGPerKg, bulkDensity, coarseFraction, Noise.round(saturation, 3),
                Noise.round(capacity, 3), Noise.round(wilting, 3));
    }

    /** Saxton &amp; Rawls (2006) eq. 1: θ1500 from sand S and clay C fractions and OM in %. */
    static double wiltingPoint(double s, double c, double om) {
        double t = -0.024 * s + 0.487 * c + 0.006 * om + 0.005 * s * om - 0.013 * c * om + 0.068 * s * c + 0.031;
        return t + (0.14 * t - 0.02);
    }

    /** Saxton &amp; Rawls (2006) eq. 2: θ33. */
    static double fieldCapacity(double s, double c, double om) {
        double t = -0.251 * s + 0.195 * c + 0.011 * om + 0.006 * s * om - 0.027 * c * om + 0.452 * s * c + 0.299;
        return t + (1.283 * t * t - 0.374 * t - 0.015);
    }

    /** SOC stock of the layer, t C/ha: SOC × ρb × depth × (1 − coarse) (IPCC 2006 vol. 4, eq. 2.23 form). */
    public double socStockTonnesPerHa(int depthCm) {
        return soc * bulkDensity * depthCm * (1 - coarseFraction) / 10;
    }
}
