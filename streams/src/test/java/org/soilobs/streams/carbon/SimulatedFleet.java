package org.soilobs.streams.carbon;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.soilobs.carbon.MonthPoint;
import org.soilobs.model.Quantity;
import org.soilobs.sim.ReadingGenerator;
import org.soilobs.sim.SimulatedField;
import org.soilobs.sim.SoilState;

/**
 * Years of daily SOC from the simulator (docs/simulator.md: SOC₂₀₂₀ × (1 + trend × years) + 0.25 g/kg of
 * noise, rounded to 0.1 g/kg), with the true rate each field's trend should find.
 */
final class SimulatedFleet {

    static final long SEED = 7;
    static final LocalDate SOC_EPOCH = LocalDate.parse("2020-01-01");
    /** The simulator's year (ReadingGenerator) and the trend's (FieldTrend), in days. */
    private static final double SIM_YEAR_DAYS = 365.2425;
    private static final double TREND_YEAR_DAYS = 365.25;

    final ReadingGenerator generator = new ReadingGenerator(SEED);

    /** One probe reading a day, at noon UTC; about one day in ten is missing (a drop-out). */
    boolean reports(SimulatedField member, LocalDate day) {
        return new SplittableRandom(SEED * 31 + member.id().hashCode() * 1_000_003L + day.toEpochDay()).nextInt(10) != 0;
    }

    static Instant noon(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(12 * 3600);
    }

    double soc(SimulatedField member, LocalDate day) {
        return generator.value(member, Quantity.SOC, noon(day));
    }

    /**
     * The true r = b / S₀ against the true stock at the trend's first point: the simulator's SOC is linear in
     * time, so b = SOC₂₀₂₀ × trend and S₀ = SOC₂₀₂₀ × (1 + trend × years to the first point), the stock
     * factor cancelling.
     */
    static double trueRate(SoilState soil, MonthPoint first) {
        double years = (first.meanEpochDay() + 0.5 - SOC_EPOCH.toEpochDay()) / SIM_YEAR_DAYS;
        double perTrendYear = soil.socTrendPerYear() * TREND_YEAR_DAYS / SIM_YEAR_DAYS;
        return perTrendYear / (1 + soil.socTrendPerYear() * years);
    }

    /** Whether the simulator's clamp to 5–40 g/kg (with 4 σ of noise to spare) leaves the field's line intact. */
    static boolean unclamped(SoilState soil, LocalDate from, LocalDate to) {
        for (LocalDate day : new LocalDate[] {from, to}) {
            double years = (day.toEpochDay() - SOC_EPOCH.toEpochDay()) / SIM_YEAR_DAYS;
            double soc = soil.socMean() * (1 + soil.socTrendPerYear() * years);
            if (soc < 6 || soc > 39) {
                return false;
            }
        }
        return true;
    }
}
