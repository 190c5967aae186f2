package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Quantity;
import org.soilobs.reference.ReferenceData;

class ReadingGeneratorTest {

    private static final Fleet FLEET = Fleet.generate(11, 80, ReferenceData.load());
    private static final ReadingGenerator GENERATOR = ReadingGenerator.withSoilWater(11);
    private static final Instant T = Instant.parse("2026-11-20T09:40:00Z");

    @Test
    void isAPureFunctionOfSeedFieldQuantityAndTime() {
        SimulatedField member = FLEET.members().get(3);
        double first = GENERATOR.value(member, Quantity.VWC, T);
        GENERATOR.value(FLEET.members().get(4), Quantity.VWC, T.plusSeconds(60));

        assertThat(ReadingGenerator.withSoilWater(11).value(member, Quantity.VWC, T)).isEqualTo(first);
        assertThat(GENERATOR.value(member, Quantity.VWC, T)).isEqualTo(first);
        assertThat(ReadingGenerator.withSoilWater(12).value(member, Quantity.VWC, T)).isNotEqualTo(first);
    }

    @Test
    void readsEveryQuantityOfTheProbeWithItsUnitAndDepth() {
        SimulatedField member = FLEET.members().get(0);
        List<CanonicalBatch.Reading> readings = GENERATOR.readings(member, T);

        assertThat(readings).extracting(CanonicalBatch.Reading::quantity)
                .containsExactly("soc", "vwc", "soil_temperature", "ec", "ph");
        assertThat(readings).extracting(CanonicalBatch.Reading::unit)
                .containsExactly("g/kg", "m3/m3", "Cel", "dS/m", "[pH]");
        assertThat(readings).allSatisfy(r -> {
            assertThat(r.sensor()).isEqualTo(member.probe().id());
            assertThat(r.time()).isEqualTo(T);
            assertThat(r.depthTopCm()).isZero();
        });
        assertThat(readings.get(0).depthBottomCm()).isEqualTo(30);
        assertThat(readings.get(1).depthBottomCm()).isEqualTo(10);
    }

    @Test
    void staysWithinPlausibleRangesAllYearRound() {
        for (SimulatedField member : FLEET.members()) {
            for (Instant time = Instant.parse("2026-01-01T00:00:00Z"); time.isBefore(Instant.parse("2027-01-01T00:00:00Z"));
                    time = time.plus(Duration.ofHours(53))) {
                SoilProfile soil = GENERATOR.profile(member);
                assertThat(GENERATOR.value(member, Quantity.VWC, time))
                        .isBetween(soil.wiltingPoint() - 0.02, soil.saturation());
                assertThat(GENERATOR.value(member, Quantity.SOIL_TEMPERATURE, time)).isBetween(-30.0, 45.0);
                assertThat(GENERATOR.value(member, Quantity.EC, time)).isBetween(0.05, 2.0);
                assertThat(GENERATOR.value(member, Quantity.PH, time)).isBetween(4.5, 8.5);
                assertThat(GENERATOR.value(member, Quantity.SOC, time)).isBetween(5.0, 40.0);
            }
        }
    }

    @Test
    void warmsInTheLocalSummerAndAfternoon() {
        SimulatedField north = FLEET.members().stream().filter(m -> m.field().lat() > 40).findFirst().orElseThrow();
        SimulatedField south = FLEET.members().stream().filter(m -> m.field().lat() < -30).findFirst().orElseThrow();

        assertThat(meanTemperature(north, "2026-07-", 12)).isGreaterThan(meanTemperature(north, "2026-01-", 12) + 5);
        assertThat(meanTemperature(south, "2026-01-", 12)).isGreaterThan(meanTemperature(south, "2026-07-", 12) + 5);
        double solarOffset = north.field().lon() / 15;
        double afternoon = 0;
        double night = 0;
        for (int day = 1; day <= 28; day++) {
            Instant midnight = Instant.parse(String.format("2026-04-%02dT00:00:00Z", day));
            afternoon += GENERATOR.value(north, Quantity.SOIL_TEMPERATURE,
                    midnight.plusSeconds(Math.round((15 - solarOffset) * 3600)));
            night += GENERATOR.value(north, Quantity.SOIL_TEMPERATURE,
                    midnight.plusSeconds(Math.round((3 - solarOffset) * 3600)));
        }
        assertThat(afternoon / 28).isGreaterThan(night / 28 + 3);
    }

    @Test
    void keepsSocAndPhCloseToTheFieldsTrueState() {
        SimulatedField member = FLEET.members().get(5);
        double soc = 0;
        double ph = 0;
        int n = 0;
        for (Instant time = Instant.parse("2020-01-01T00:00:00Z"); time.isBefore(Instant.parse("2020-01-08T00:00:00Z"));
                time = time.plus(Duration.ofHours(1))) {
            soc += GENERATOR.value(member, Quantity.SOC, time);
            ph += GENERATOR.value(member, Quantity.PH, time);
            n++;
        }
        assertThat(soc / n).isCloseTo(member.soil().socMean(), org.assertj.core.data.Offset.offset(0.2));
        assertThat(ph / n).isCloseTo(member.soil().phMean(), org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void rainWetsTheSoilWhichThenDriesDownWithTheDryDownTime() {
        // Find a rain event followed by three dry days: its water then decays by exactly e^-1.
        SimulatedField member = FLEET.members().get(3);
        long field = Noise.hash(member.id());
        Instant day = Instant.parse("2026-03-01T00:00:00Z");
        for (int d = 0; d < 300; d++, day = day.plus(Duration.ofDays(1))) {
            Instant endOfDay = day.plus(Duration.ofHours(28));
            double wetting = GENERATOR.rainWater(field, endOfDay) - GENERATOR.rainWater(field, day);
            double threeDaysOn = GENERATOR.rainWater(field, endOfDay.plus(Duration.ofDays(3)));
            boolean dryAfter = threeDaysOn < GENERATOR.rainWater(field, endOfDay);
            if (wetting > 0.03 && dryAfter && isDry(field, endOfDay, endOfDay.plus(Duration.ofDays(3)))) {
                assertThat(threeDaysOn / GENERATOR.rainWater(field, endOfDay))
                        .isCloseTo(Math.exp(-3 / ReadingGenerator.DRY_DOWN_DAYS), org.assertj.core.data.Offset.offset(0.02));
                assertThat(GENERATOR.value(member, Quantity.VWC, endOfDay))
                        .isGreaterThan(GENERATOR.value(member, Quantity.VWC, endOfDay.plus(Duration.ofDays(3))));
                return;
            }
        }
        throw new AssertionError("no rain event followed by three dry days in 300 days");
    }

    /** Whether the rain water only decreases, hour by hour, over the interval. */
    private static boolean isDry(long field, Instant from, Instant to) {
        double previous = GENERATOR.rainWater(field, from);
        for (Instant t = from.plus(Duration.ofHours(1)); !t.isAfter(to); t = t.plus(Duration.ofHours(1))) {
            double now = GENERATOR.rainWater(field, t);
            if (now > previous) {
                return false;
            }
            previous = now;
        }
        return true;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} m3/m3 of water → {1}")
    @org.junit.jupiter.params.provider.CsvSource({"0.25, 0.25", "0.30, 0.30", "0.45, 0.39482", "0.90, 0.44725"})
    void compressesWaterAboveFieldCapacityTowardsSaturation(double water, double expected) {
        // Field capacity 0.30, saturation 0.45: 0.30 + 0.15 × (1 − e^(−(water − 0.30) / 0.15)).
        SoilProfile soil = new SoilProfile(0.4, 0.4, 0.2, 15, 1.457, 0, 0.45, 0.30, 0.12);
        assertThat(ReadingGenerator.belowSaturation(soil, water)).isCloseTo(expected,
                org.assertj.core.data.Offset.offset(0.00001));
    }

    @Test
    void neverExceedsTheFieldsSaturationEvenAfterHeavyRain() {
        for (SimulatedField member : FLEET.members().subList(0, 20)) {
            double saturation = GENERATOR.profile(member).saturation();
            double wettest = 0;
            for (Instant time = Instant.parse("2026-01-01T00:00:00Z"); time.isBefore(Instant.parse("2027-01-01T00:00:00Z"));
                    time = time.plus(Duration.ofHours(5))) {
                wettest = Math.max(wettest, GENERATOR.value(member, Quantity.VWC, time));
            }
            assertThat(wettest).isLessThanOrEqualTo(saturation).isGreaterThan(GENERATOR.profile(member).fieldCapacity()
                    - 0.1);
        }
    }

    @Test
    void conductivityFollowsWater() {
        SimulatedField member = FLEET.members().get(7);
        List<double[]> hours = new java.util.ArrayList<>();
        for (Instant time = Instant.parse("2026-04-01T00:00:00Z"); time.isBefore(Instant.parse("2026-05-01T00:00:00Z"));
                time = time.plus(Duration.ofHours(1))) {
            hours.add(new double[] {GENERATOR.value(member, Quantity.VWC, time), GENERATOR.value(member, Quantity.EC, time)});
        }
        hours.sort(java.util.Comparator.comparingDouble(h -> h[0]));
        int tenth = hours.size() / 10;
        double dry = hours.subList(0, tenth).stream().mapToDouble(h -> h[1]).average().orElseThrow();
        double wet = hours.subList(hours.size() - tenth, hours.size()).stream().mapToDouble(h -> h[1]).average()
                .orElseThrow();
        assertThat(wet).isGreaterThan(dry * 1.1);
    }

    @Test
    void socFollowsTheFieldsTrueTrendUnderTheNoise() {
        for (SimulatedField member : FLEET.members().subList(0, 8)) {
            double sumT = 0;
            double sumY = 0;
            double sumTT = 0;
            double sumTY = 0;
            int n = 0;
            for (Instant time = Instant.parse("2020-01-01T00:00:00Z"); time.isBefore(Instant.parse("2025-01-01T00:00:00Z"));
                    time = time.plus(Duration.ofDays(3))) {
                double years = Duration.between(Instant.parse("2020-01-01T00:00:00Z"), time).toDays() / 365.2425;
                double soc = GENERATOR.value(member, Quantity.SOC, time);
                sumT += years;
                sumY += soc;
                sumTT += years * years;
                sumTY += years * soc;
                n++;
            }
            double slope = (n * sumTY - sumT * sumY) / (n * sumTT - sumT * sumT);
            assertThat(slope).as(member.id()).isCloseTo(member.soil().socMean() * member.soil().socTrendPerYear(),
                    org.assertj.core.data.Offset.offset(0.03));
        }
    }

    @Test
    void thePlainGeneratorKeepsTheSkeletonsMoistureForFixedScenarios() {
        ReadingGenerator plain = new ReadingGenerator(11);
        for (SimulatedField member : FLEET.members().subList(0, 10)) {
            for (Instant time = Instant.parse("2026-01-01T00:00:00Z"); time.isBefore(Instant.parse("2027-01-01T00:00:00Z"));
                    time = time.plus(Duration.ofHours(97))) {
                assertThat(plain.value(member, Quantity.VWC, time)).isBetween(0.05, 0.45);
            }
        }
    }

    @Test
    void refusesQuantitiesTheProbeDoesNotMeasure() {
        assertThatThrownBy(() -> GENERATOR.value(FLEET.members().get(0), Quantity.NITRATE, T))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double meanTemperature(SimulatedField member, String month, int days) {
        double sum = 0;
        for (int day = 1; day <= days; day++) {
            for (int hour = 0; hour < 24; hour += 3) {
                sum += GENERATOR.value(member, Quantity.SOIL_TEMPERATURE,
                        Instant.parse(String.format("%s%02dT%02d:00:00Z", month, day, hour)));
            }
        }
        return sum / (days * 8);
    }
}
