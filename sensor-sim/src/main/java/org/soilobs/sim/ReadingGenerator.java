package org.soilobs.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.soilobs.model.Quantity;

/**
 * Plausible probe readings as pure functions of (seed, field, quantity, time): the same inputs give the
 * same value on every machine ({@link StrictMath} throughout), whatever was generated before.
 *
 * <ul>
 *   <li>{@code soil_temperature} (0–10 cm): the field's annual mean from its latitude, an annual wave
 *       peaking in late July in the north and late January in the south, a daily wave peaking at
 *       15:00 local solar time, a day-to-day weather anomaly and sensor noise;</li>
 *   <li>{@code vwc} ({@link #withSoilWater}; the plain constructor keeps the walking skeleton's
 *       moisture around the field's mean with a day-to-day anomaly, which {@link Scenario#fixed} relies
 *       on): a seasonal base between the field's wilting point and field capacity
 *       ({@link SoilProfile}), plus rain events (drawn per field and UTC day: whether it rains, when,
 *       how much, for how long) that wet the top 10 cm while it rains and then dry down exponentially
 *       (e-folding {@value #DRY_DOWN_DAYS} days); water above field capacity is compressed towards,
 *       never onto, the field's saturation (it drains within hours);</li>
 *   <li>{@code ec}: the field's mean scaled by moisture relative to field capacity and by temperature
 *       (about 2 % per °C); 0.05–2 dS/m;</li>
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
    private static final long RAIN = 3;
    /** E-folding time of surface soil moisture after rain (McColl et al. 2017 report 2–5 days). */
    static final double DRY_DOWN_DAYS = 3;
    /** Rain events further back than this no longer matter (e^-10 of their water is left). */
    private static final int RAIN_MEMORY_DAYS = 30;
    private static final double PROBE_LAYER_MM = 100;
    /** The share of rain the probe's top 10 cm keeps; the rest runs off or drains deeper within hours. */
    private static final double RETAINED = 0.5;

    private final long seed;
    private final boolean soilWater;
    private final Map<String, SoilProfile> profiles = new ConcurrentHashMap<>();
    private final Map<Long, RainWindow> rain = new ConcurrentHashMap<>();
    private final Map<String, Long> fieldKeys = new ConcurrentHashMap<>();

    /**
     * The walking skeleton's generator, which {@link Scenario#fixed} and {@link Simulator} use: moisture
     * around the field's mean with a day-to-day anomaly (no rain events).
     */
    public ReadingGenerator(long seed) {
        this(seed, false);
    }

    private ReadingGenerator(long seed, boolean soilWater) {
        this.seed = seed;
        this.soilWater = soilWater;
    }

    /** Moisture from the field's {@link SoilProfile} and rain events (see the class comment); {@link Traffic} uses it. */
    public static ReadingGenerator withSoilWater(long seed) {
        return new ReadingGenerator(seed, true);
    }

    /** The field's soil profile (texture and water limits), a pure function of seed and field. */
    public SoilProfile profile(SimulatedField member) {
        return profiles.computeIfAbsent(member.id(), id -> SoilProfile.of(seed, member));
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
        long field = fieldKeys.computeIfAbsent(member.id(), Noise::hash);
        long noiseKey = Noise.key(seed, field, quantity.ordinal(), time.getEpochSecond(), time.getNano());
        double noise = Noise.gaussian(noiseKey);
        SoilState soil = member.soil();
        return switch (quantity) {
            case SOIL_TEMPERATURE -> Noise.round(clamp(temperature(member, field, time) + 0.15 * noise, -30, 45), 1);
            case VWC -> soilWater
                    ? Noise.round(Math.max(0.01, Math.min(moisture(member, field, time) + 0.003 * noise,
                            profile(member).saturation())), 3)
                    : Noise.round(clamp(moisture(member, field, time) + 0.003 * noise, 0.05, 0.45), 3);
            case EC -> {
                double moistureRatio = moisture(member, field, time)
                        / (soilWater ? profile(member).fieldCapacity() : soil.vwcMean());
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
        if (!soilWater) {
            double wetterInWinter = -0.05 * seasonal(member, time);
            double afternoonDrying = -0.005 * StrictMath.cos(2 * StrictMath.PI
                    * (solarHour(member, time) - WARMEST_HOUR) / 24);
            return member.soil().vwcMean() + wetterInWinter + afternoonDrying
                    + 0.03 * dailyAnomaly(field, WETNESS, time);
        }
        SoilProfile profile = profile(member);
        double available = profile.fieldCapacity() - profile.wiltingPoint();
        double wetterInWinter = -0.12 * seasonal(member, time);
        double afternoonDrying = -0.01 * StrictMath.cos(2 * StrictMath.PI * (solarHour(member, time) - WARMEST_HOUR) / 24);
        double base = profile.wiltingPoint() + available * (0.40 + wetterInWinter + afternoonDrying);
        return belowSaturation(profile, base + rainWater(field, time));
    }

    /**
     * Water above field capacity drains within hours, so the excess only approaches saturation: it is
     * compressed smoothly into (field capacity, saturation), never reaching it.
     */
    static double belowSaturation(SoilProfile profile, double water) {
        double capacity = profile.fieldCapacity();
        if (water <= capacity) {
            return water;
        }
        double room = profile.saturation() - capacity;
        return capacity + room * (1 - StrictMath.exp(-(water - capacity) / room));
    }

    /**
     * Water (m3/m3) the rain of the last {@value #RAIN_MEMORY_DAYS} days still holds in the probe's layer.
     * Each UTC day it rains with a field-specific probability (10–35 %), starting at a random hour, for
     * 1–4 h, an exponentially distributed amount (mean 8 mm), of which the layer keeps half; the water
     * enters linearly while it rains
     * and drains with e-folding time {@value #DRY_DOWN_DAYS} days.
     */
    double rainWater(long field, Instant time) {
        double now = days(time);
        long today = (long) StrictMath.floor(now);
        double[] events = rainEvents(field, today);
        double water = 0;
        for (int e = 0; e < events.length; e += 3) {
            double start = events[e];
            if (now <= start) {
                continue;
            }
            double duration = events[e + 1];
            double entered = Math.min(1, (now - start) / duration);
            double drained = StrictMath.exp(-Math.max(0, now - start - duration) / DRY_DOWN_DAYS);
            water += RETAINED * events[e + 2] / PROBE_LAYER_MM * entered * drained;
        }
        return water;
    }

    /**
     * The rain events (start day, duration in days, millimetres) of the {@value #RAIN_MEMORY_DAYS} days
     * before {@code today} and of today: drawn from (seed, field, day) alone, remembered per field for the
     * day last asked for because every reading of the day needs them.
     */
    private double[] rainEvents(long field, long today) {
        RainWindow window = rain.get(field);
        if (window != null && window.today() == today) {
            return window.events();
        }
        double wetDayChance = 0.10 + 0.25 * Noise.uniform(Noise.key(seed, field, RAIN));
        double[] events = new double[3 * (RAIN_MEMORY_DAYS + 1)];
        int n = 0;
        for (long day = today - RAIN_MEMORY_DAYS; day <= today; day++) {
            long key = Noise.key(seed, field, RAIN, day);
            if (Noise.uniform(key) >= wetDayChance) {
                continue;
            }
            events[n++] = day + Noise.uniform(key + 1);
            events[n++] = (1 + 3 * Noise.uniform(key + 2)) / 24;
            events[n++] = -8 * StrictMath.log(1 - Noise.uniform(key + 3));
        }
        double[] found = Arrays.copyOf(events, n);
        rain.put(field, new RainWindow(today, found));
        return found;
    }

    private record RainWindow(long today, double[] events) {
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
