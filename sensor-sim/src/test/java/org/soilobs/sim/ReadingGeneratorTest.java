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
    private static final ReadingGenerator GENERATOR = new ReadingGenerator(11);
    private static final Instant T = Instant.parse("2026-11-20T09:40:00Z");

    @Test
    void isAPureFunctionOfSeedFieldQuantityAndTime() {
        SimulatedField member = FLEET.members().get(3);
        double first = GENERATOR.value(member, Quantity.VWC, T);
        GENERATOR.value(FLEET.members().get(4), Quantity.VWC, T.plusSeconds(60));

        assertThat(new ReadingGenerator(11).value(member, Quantity.VWC, T)).isEqualTo(first);
        assertThat(GENERATOR.value(member, Quantity.VWC, T)).isEqualTo(first);
        assertThat(new ReadingGenerator(12).value(member, Quantity.VWC, T)).isNotEqualTo(first);
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
                assertThat(GENERATOR.value(member, Quantity.VWC, time)).isBetween(0.05, 0.45);
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
