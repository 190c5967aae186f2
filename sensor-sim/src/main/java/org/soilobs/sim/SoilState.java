package org.soilobs.sim;

/**
 * The "true" soil of a simulated field, from which its readings are generated: what an analysis of the
 * readings should find again.
 *
 * @param socMean soil organic carbon at the start of 2020, g/kg (0–30 cm)
 * @param socTrendPerYear relative annual change of SOC, e.g. 0.004 for the "4 per 1000" target
 * @param phMean soil pH
 * @param ecMean bulk electrical conductivity at mean moisture, dS/m
 * @param vwcMean mean volumetric water content, m3/m3
 * @param temperatureMean annual mean soil temperature at 0–10 cm, °C
 * @param temperatureAmplitude half the annual range of the daily mean soil temperature, °C
 */
public record SoilState(
        double socMean,
        double socTrendPerYear,
        double phMean,
        double ecMean,
        double vwcMean,
        double temperatureMean,
        double temperatureAmplitude) {

    public SoilState {
        if (!(socMean >= 5 && socMean <= 40)) {
            throw new IllegalArgumentException("socMean outside 5..40 g/kg: " + socMean);
        }
        if (!(phMean >= 4.5 && phMean <= 8.5)) {
            throw new IllegalArgumentException("phMean outside 4.5..8.5: " + phMean);
        }
        if (!(ecMean >= 0.05 && ecMean <= 2)) {
            throw new IllegalArgumentException("ecMean outside 0.05..2 dS/m: " + ecMean);
        }
        if (!(vwcMean >= 0.05 && vwcMean <= 0.45)) {
            throw new IllegalArgumentException("vwcMean outside 0.05..0.45: " + vwcMean);
        }
        if (!Double.isFinite(socTrendPerYear) || !Double.isFinite(temperatureMean)
                || !(temperatureAmplitude >= 0)) {
            throw new IllegalArgumentException("trend and temperatures must be finite, amplitude non-negative");
        }
    }
}
