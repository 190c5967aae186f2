package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.soilobs.streams.Samples.GERMANY;
import static org.soilobs.streams.Samples.T0;
import static org.soilobs.streams.Samples.field;
import static org.soilobs.streams.Samples.json;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Topics;
import org.soilobs.streams.quality.QualityControl;

/** The quality-control rules (docs/science.md, "Quality control"), each on a short series through the enrich job. */
class QualityControlTest {

    private static final Field F1 = field("F1", GERMANY, 12.5);
    private static final Duration MAX_AGE = Duration.ofDays(7);
    private static final Duration STEP = Duration.ofMinutes(10);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestInputTopic<String, byte[]> fields;
    private TestOutputTopic<String, EnrichedReading> clean;

    @BeforeEach
    void start() {
        driver = new TopologyTestDriver(EnrichReadings.build(MAX_AGE), Samples.properties(stateDir));
        raw = driver.createInputTopic(Topics.READINGS_RAW, new StringSerializer(), new ByteArraySerializer());
        fields = driver.createInputTopic(Topics.FIELDS, new StringSerializer(), new ByteArraySerializer());
        fields.pipeInput("F1", json(F1));
        clean = driver.createOutputTopic(Topics.READINGS_CLEAN, new StringDeserializer(),
                Samples.deserializer(EnrichedReading.class));
    }

    @AfterEach
    void close() {
        driver.close();
    }

    /** Sends a reading that reached Kafka {@code arrivalDelay} after its time. */
    private void send(Quantity quantity, Instant time, double value, Instant arrival) {
        Reading reading = new Reading("gw-1", 1, "S1", "F1", quantity, time, value, 0, 30, arrival);
        raw.pipeInput("S1", json(reading), arrival);
    }

    private void send(Quantity quantity, Instant time, double value) {
        send(quantity, time, value, time.plusSeconds(5));
    }

    /** The final flags of every reading published so far, as time → flags joined by '+'. */
    private Map<Instant, String> releasedFlags() {
        Map<Instant, String> flags = new LinkedHashMap<>();
        for (EnrichedReading out : clean.readValuesToList()) {
            flags.put(out.reading().time(), String.join("+", out.flags()));
        }
        return flags;
    }

    private Map<Instant, String> series(Quantity quantity, String values) {
        double[] parsed = Arrays.stream(values.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
        for (int i = 0; i < parsed.length; i++) {
            send(quantity, T0.plus(STEP.multipliedBy(i)), parsed[i]);
        }
        return releasedFlags();
    }

    @ParameterizedTest(name = "{0}: {2} → {3}")
    @CsvSource(delimiter = '|', textBlock = """
            steady VWC                                 | vwc              | 0.30 0.31 0.30 0.31       | G G G G
            spike up (D06), the return unflagged       | vwc              | 0.30 0.30 0.40 0.30 0.30  | G G D06 G G
            spike down (D06)                           | vwc              | 0.30 0.30 0.20 0.30       | G G D06 G
            rise that stays is a jump (D08), not spike | vwc              | 0.20 0.20 0.30 0.30       | G G D08 G
            drop (D07) then low plateau (D09)          | vwc              | 0.30 0.30 0.15 0.15 0.153 | G G D07 D09 D09
            low plateau ends when the series moves on  | vwc              | 0.30 0.15 0.15 0.16 0.16  | G D07 D09 G G
            step below 10 % is no jump                 | vwc              | 0.50 0.54 0.58            | G G G
            step of 0.01 m3/m3 or less is no jump      | vwc              | 0.05 0.059 0.05           | G G G
            saturated plateau (D10)                    | vwc              | 0.45 0.45 0.45 0.452      | G G D10 D10
            wet plateau below any saturation           | vwc              | 0.38 0.38 0.38 0.38       | G G G G
            above 0.6 m3/m3 (C02), also a spike        | vwc              | 0.30 0.30 0.65 0.30       | G G C02+D06 G
            soil temperature jump of more than 5 °C    | soil_temperature | 10 10 16 16               | G G D08 G
            soil temperature change of 5 °C or less    | soil_temperature | 10 15 10.5                | G G G
            soil temperature spike                     | soil_temperature | 10 10 22 10               | G G D06 G
            pH below 3 (C01)                           | ph               | 6.5 2.5                   | G C01+D07
            pH step of more than 0.5                   | ph               | 6.5 6.9 7.6               | G G D08
            EC above 20 dS/m (C02)                     | ec               | 25                        | C02
            CO2 flux above 30 umol/m2/s (C02)          | co2_flux         | 4 4.2 31                  | G G C02+D08
            """)
    void flagsEachSeriesByTheIsmnRules(String description, String quantity, String values, String expected) {
        Map<Instant, String> flags = series(Quantity.fromId(quantity), values);

        assertThat(List.copyOf(flags.values())).isEqualTo(List.of(expected.trim().split("\\s+")));
    }

    @Test
    void flagsASpikeAJumpAndBothPlateausOfOneVwcSeriesAtTheirTimes() {
        Map<Instant, String> flags = series(Quantity.VWC, """
                0.30 0.30 0.42 0.30 0.30 0.36 0.36 0.36 0.20 0.20 0.201 0.25 0.45 0.45 0.45 0.45""");

        Map<Instant, String> expected = new LinkedHashMap<>();
        String[] codes = "G G D06 G G D08 G G D07 D09 D09 D08 D08 G D10 D10".split(" ");
        for (int i = 0; i < codes.length; i++) {
            expected.put(T0.plus(STEP.multipliedBy(i)), codes[i]);
        }
        assertThat(flags).containsExactlyEntriesOf(expected);
    }

    @Test
    void comparesOnlyReadingsWithinThreeHoursOfEachOther() {
        send(Quantity.VWC, T0, 0.20);
        send(Quantity.VWC, T0.plus(Duration.ofHours(3)).plusSeconds(1), 0.40);
        send(Quantity.VWC, T0.plus(Duration.ofHours(7)), 0.20);

        assertThat(releasedFlags().values()).containsExactly("G", "G", "G");
    }

    @ParameterizedTest(name = "stamped {0} its arrival at Kafka → {1}")
    @CsvSource({
            "PT10M,   G",
            "PT10M1S, T01",
            "P1000D,  T01",
            "-P7D,    G",
            "-P7DT1S, T02",
            "-P100000D, T02"})
    void flagsReadingsFromTheFutureOrOlderThanTheLateLimit(String offset, String expected) {
        Instant arrival = T0;

        send(Quantity.VWC, arrival.plus(Duration.parse(offset)), 0.3, arrival);

        assertThat(releasedFlags().values()).containsExactly(expected);
    }

    @ParameterizedTest(name = "soil temperature {0} °C, {1} before the VWC reading → {2}")
    @CsvSource({
            "-0.5, PT10M,  D01",
            "-0.5, -PT10M, D01",
            "-0.5, PT3H,   D01",
            "-0.5, PT3H1S, G",
            "0,    PT10M,  G",
            "4,    PT10M,  G"})
    void flagsVwcWhileTheSensorsSoilIsFrozen(double temperature, String before, String expected) {
        Instant vwcTime = T0.plus(Duration.ofHours(4));
        send(Quantity.SOIL_TEMPERATURE, vwcTime.minus(Duration.parse(before)), temperature);

        send(Quantity.VWC, vwcTime, 0.25);

        List<EnrichedReading> out = clean.readValuesToList();
        assertThat(out).filteredOn(e -> e.reading().quantity() == Quantity.VWC).singleElement()
                .extracting(e -> String.join("+", e.flags())).isEqualTo(expected);
        assertThat(out).filteredOn(e -> e.reading().quantity() == Quantity.SOIL_TEMPERATURE).singleElement()
                .extracting(EnrichedReading::flags).isEqualTo(List.of(EnrichedReading.GOOD));
    }

    @Test
    void emitsEveryReadingAtOnceAndCorrectsOneThatItsSuccessorShowsToBeASpike() {
        send(Quantity.VWC, T0, 0.30);
        send(Quantity.VWC, T0.plus(STEP), 0.30);
        send(Quantity.VWC, T0.plus(STEP.multipliedBy(2)), 0.42);
        assertThat(clean.readValuesToList()).extracting(e -> String.join("+", e.flags()))
                .as("each at once, the spike's first edge provisionally a jump").containsExactly("G", "G", "D08");

        send(Quantity.VWC, T0.plus(STEP.multipliedBy(3)), 0.30);

        List<TestRecord<String, EnrichedReading>> out = clean.readRecordsToList();
        assertThat(out).extracting(r -> r.value().reading().time() + " " + String.join("+", r.value().flags()))
                .containsExactly(T0.plus(STEP.multipliedBy(2)) + " D06", T0.plus(STEP.multipliedBy(3)) + " G");
        TestRecord<String, EnrichedReading> correction = out.get(0);
        assertThat(correction.value().corrects()).containsExactly(QualityControl.JUMP);
        assertThat(correction.key()).isEqualTo("S1");
        assertThat(correction.getRecordTime()).as("the corrected reading's own arrival")
                .isEqualTo(T0.plus(STEP.multipliedBy(2)).plusSeconds(5));
        assertThat(out.get(1).value().isCorrection()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no texture: saturation unknown             | 1.30 |      |      | 0.55 | G
            loam at 1.30 g/cm3 (porosity 0.509), below | 1.30 | 0.40 | 0.20 | 0.50 | G
            loam at 1.30 g/cm3, at 0.51 above          | 1.30 | 0.40 | 0.20 | 0.51 | C03
            dense sand at 1.60 g/cm3 (porosity 0.396)  | 1.60 | 0.85 | 0.05 | 0.40 | C03
            clay at 1.10 g/cm3 (porosity 0.585)        | 1.10 | 0.10 | 0.55 | 0.58 | G
            above saturation and 0.6 (C02)             | 1.30 | 0.40 | 0.20 | 0.62 | C02+C03
            """)
    void flagsVwcAboveTheSaturationOfAFieldWhoseTextureIsKnown(String description, double bulkDensity, Double sand,
                                                               Double clay, double vwc, String expected) {
        Field field = new Field("FT", 8.5, 49.0, 2, "cropland", bulkDensity, 0, 30, GERMANY, sand, clay);
        fields.pipeInput(field.id(), json(field));
        Reading reading = new Reading("gw-1", 1, "ST", "FT", Quantity.VWC, T0, vwc, 0, 30, T0.plusSeconds(5));

        raw.pipeInput("ST", json(reading), T0.plusSeconds(5));

        assertThat(clean.readValuesToList()).singleElement().extracting(e -> String.join("+", e.flags()))
                .isEqualTo(expected);
    }

    @Test
    void passesAnOutOfOrderReadingAtOnceJudgedOnlyByTheRulesOfArrival() {
        send(Quantity.VWC, T0, 0.30);
        send(Quantity.VWC, T0.plus(STEP.multipliedBy(2)), 0.30);

        send(Quantity.VWC, T0.plus(STEP), 0.65);

        assertThat(clean.readValuesToList()).extracting(e -> e.reading().time() + " " + String.join("+", e.flags()))
                .containsExactly(T0 + " G", T0.plus(STEP.multipliedBy(2)) + " G", T0.plus(STEP) + " C02");
    }
}
