package org.soilobs.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.soilobs.model.Quantity;

/**
 * Plausible probe readings as pure functions of (seed, field, quantity, time): the same inputs give the
 * same value on every machine ({@link StrictMath} throughout), whatever was generated before.
 *
 * <ul>
 *   <li>{@code soil_temperature} (0–10 cm): the field's annual mean from its latitude, an annual wave
 *       peaking in late July in the north and late January in the south, a daily wave peaking at
 *       15:00 local solar time, a day-to-day weather anomaly and sensor noise;</li>
 *   <li>{@code vwc}: the field's mean, wetter in winter, a day-to-day wetness anomaly (rain and
 *       drying), slightly drier in the afternoon; 0.05–0.45 m3/m3;</li>
 *   <li>{@code ec}: the field's mean scaled by moisture and temperature (about 2 % per °C);
 *       0.05–2 dS/m;</li>
 *   <li>{@code ph}: stable, with noise; 4.5–8.5;</li>
 *   <li>{@code soc} (0–depth cm): the field's mean at the start of 2020, changing by its relative
 *       trend per year, with noise; 5–40 g/kg.</li>
 * </ul>
 */
public final class ReadingGenerator {

    /** What a {@value Fleet#PROBE_MODEL} measures, in the order of its readings. */
    public static final List<Quantity> QUANTITIES =
            List.of(Quantity.SOC, Quantity.VWC, Quantity.SOIL_TEMPERATURE, Quantity.EC, Quantity.PH);
    /** The probe's sensing depth for everything but SOC, which is reported over the field's sampling depth. */
    public static final int PROBE_DEPTH_CM = 10;

    private static final double DAY_SECONDS = 86_400;
    private static final double YEAR_DAYS = 365.2425;
    private static final long SOC_EPOCH_SECOND = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
    private static final double NORTH_WARMEST_DAY = 200;
    private static final double SOUTH_WARMEST_DAY = 20;
    private static final double WARMEST_HOUR = 15;
    private static final long WEATHER = 1;
    private static final long WETNESS = 2;

    private final long seed;

    public ReadingGenerator(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** Every quantity of the field's probe at {@code time}, in {@link #QUANTITIES} order. */
    public List<CanonicalBatch.Reading> readings(SimulatedField member, Instant time) {
        List<CanonicalBatch.Reading> readings = new ArrayList<>(QUANTITIES.size());
        for (Quantity quantity : QUANTITIES) {
            readings.add(reading(member, quantity, time));
        }
        return readings;
    }

    public CanonicalBatch.Reading reading(SimulatedField member, Quantity quantity, Instant time) {
        return new CanonicalBatch.Reading(member.probe().id(), time, quantity.id(), value(member, quantity, time),
                quantity.unit(), 0, depthBottomCm(member, quantity));
    }

    /** The bottom of the soil layer a reading describes: the sampling depth for SOC, the probe's otherwise. */
    public static int depthBottomCm(SimulatedField member, Quantity quantity) {
        return quantity == Quantity.SOC ? member.field().depthCm() : PROBE_DEPTH_CM;
    }

    /**
     * @throws IllegalArgumentException for a quantity the probe does not measure
     */
    public double value(SimulatedField member, Quantity quantity, Instant time) {
        long field = Noise.hash(member.id());
        long noiseKey = Noise.key(seed, field, quantity.ordinal(), time.getEpochSecond(), time.getNano());
        double noise = Noise.gaussian(noiseKey);
        SoilState soil = member.soil();
        return switch (quantity) {
            case SOIL_TEMPERATURE -> Noise.round(clamp(temperature(member, field, time) + 0.15 * noise, -30, 45), 1);
            case VWC -> Noise.round(clamp(moisture(member, field, time) + 0.003 * noise, 0.05, 0.45), 3);
            case EC -> {
                double moistureRatio = moisture(member, field, time) / soil.vwcMean();
                double temperatureFactor = 1 + 0.02 * (temperature(member, field, time) - 25);
                double ec = soil.ecMean() * StrictMath.pow(Math.max(moistureRatio, 0.1), 0.8)
                        * Math.max(temperatureFactor, 0.3);
                yield Noise.round(clamp(ec * (1 + 0.02 * noise), 0.05, 2), 3);
            }
            case PH -> Noise.round(clamp(soil.phMean() + 0.03 * noise, 4.5, 8.5), 2);
            case SOC -> {
                double years = (time.getEpochSecond() - SOC_EPOCH_SECOND) / (DAY_SECONDS * YEAR_DAYS);
                yield Noise.round(clamp(soil.socMean() * (1 + soil.socTrendPerYear() * years) + 0.25 * noise, 5, 40), 1);
            }
            default -> throw new IllegalArgumentException(Fleet.PROBE_MODEL + " does not measure " + quantity.id());
        };
    }

    private double temperature(SimulatedField member, long field, Instant time) {
        SoilState soil = member.soil();
        double annual = soil.temperatureAmplitude() * seasonal(member, time);
        double daily = 2.5 * StrictMath.cos(2 * StrictMath.PI * (solarHour(member, time) - WARMEST_HOUR) / 24);
        return soil.temperatureMean() + annual + daily + 1.5 * dailyAnomaly(field, WEATHER, time);
    }

    private double moisture(SimulatedField member, long field, Instant time) {
        double wetterInWinter = -0.05 * seasonal(member, time);
        double afternoonDrying = -0.005 * StrictMath.cos(2 * StrictMath.PI * (solarHour(member, time) - WARMEST_HOUR) / 24);
        return member.soil().vwcMean() + wetterInWinter + afternoonDrying + 0.03 * dailyAnomaly(field, WETNESS, time);
    }

    /** 1 at the warmest time of the year, -1 at the coldest. */
    private static double seasonal(SimulatedField member, Instant time) {
        double dayOfYear = days(time) % YEAR_DAYS;
        double warmest = member.field().lat() >= 0 ? NORTH_WARMEST_DAY : SOUTH_WARMEST_DAY;
        return StrictMath.cos(2 * StrictMath.PI * (dayOfYear - warmest) / YEAR_DAYS);
    }

    private static double solarHour(SimulatedField member, Instant time) {
        double utcHour = Math.floorMod(time.getEpochSecond(), (long) DAY_SECONDS) / 3600.0;
        return ((utcHour + member.field().lon() / 15) % 24 + 24) % 24;
    }

    /** A standard-normal anomaly drawn per field and UTC day, interpolated linearly between days. */
    private double dailyAnomaly(long field, long channel, Instant time) {
        double days = days(time);
        long day = (long) StrictMath.floor(days);
        double fraction = days - day;
        double today = Noise.gaussian(Noise.key(seed, field, channel, day));
        double tomorrow = Noise.gaussian(Noise.key(seed, field, channel, day + 1));
        return today + (tomorrow - today) * fraction;
    }

    private static double days(Instant time) {
        return (time.getEpochSecond() + time.getNano() / 1e9) / DAY_SECONDS;
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
