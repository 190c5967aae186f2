package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.soilobs.streams.Samples.GERMANY;
import static org.soilobs.streams.Samples.T0;
import static org.soilobs.streams.Samples.field;
import static org.soilobs.streams.Samples.json;
import static org.soilobs.streams.Samples.reading;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Topics;
import org.soilobs.streams.check.Rejections;
import org.soilobs.streams.enrich.DropDuplicates;

class EnrichReadingsTest {

    private static final Field F1 = field("F1", GERMANY, 12.5);
    private static final Reading R1 = reading("S1", "F1", Quantity.VWC, T0, 0.31);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestInputTopic<String, byte[]> fields;
    private TestOutputTopic<String, EnrichedReading> clean;
    private TestOutputTopic<String, Rejection> rejected;

    private void start(Duration dedupRetention) {
        driver = new TopologyTestDriver(EnrichReadings.build(dedupRetention), Samples.properties(stateDir));
        raw = driver.createInputTopic(Topics.READINGS_RAW, new StringSerializer(), new ByteArraySerializer());
        fields = driver.createInputTopic(Topics.FIELDS, new StringSerializer(), new ByteArraySerializer());
        clean = driver.createOutputTopic(Topics.READINGS_CLEAN, new StringDeserializer(),
                Samples.deserializer(EnrichedReading.class));
        rejected = driver.createOutputTopic(Topics.READINGS_REJECTED, new StringDeserializer(),
                Samples.deserializer(Rejection.class));
    }

    /** The clean topic: quality control emits every reading at once. */
    private TestOutputTopic<String, EnrichedReading> released() {
        return clean;
    }

    private void start() {
        start(EnrichReadings.DEFAULT_DEDUP_RETENTION);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(Reading reading) {
        raw.pipeInput(reading.sensor(), json(reading), reading.receivedAt());
    }

    @Test
    void joinsAReadingToItsRegisteredField() {
        start();
        fields.pipeInput("F1", json(F1));

        send(R1);

        TestRecord<String, EnrichedReading> out = released().readRecord();
        assertThat(out.key()).isEqualTo("S1");
        assertThat(out.value()).isEqualTo(new EnrichedReading(R1, GERMANY, 12.5, List.of("G")));
        assertThat(out.getRecordTime()).as("the raw record's arrival time, not the sensor's").isEqualTo(R1.receivedAt());
        assertThat(released().isEmpty()).isTrue();
        assertThat(rejected.isEmpty()).isTrue();
    }

    @Test
    void passesOnAReadingWhateverItsSensorClockSays() {
        start();
        fields.pipeInput("F1", json(F1));
        Reading fromTheFuture = reading("S1", "F1", Quantity.VWC, Instant.parse("2999-01-01T00:00:00Z"), 0.3);
        Reading before1970 = reading("S1", "F1", Quantity.VWC, Instant.parse("1950-01-01T00:00:00Z"), 0.3);

        raw.pipeInput("S1", json(fromTheFuture), T0);
        raw.pipeInput("S1", json(before1970), T0);

        assertThat(released().readRecordsToList()).extracting(TestRecord::getRecordTime).containsExactly(T0, T0);
    }

    @Test
    void rejectsAReadingOfAnUnregisteredField() {
        start();
        fields.pipeInput("F2", json(field("F2", GERMANY, 3)));

        send(R1);

        assertThat(released().isEmpty()).isTrue();
        KeyValue<String, Rejection> dead = rejected.readKeyValue();
        assertThat(dead.key).isEqualTo("S1");
        assertThat(dead.value.reason()).isEqualTo(Rejections.UNKNOWN_FIELD);
        assertThat(dead.value.source()).isEqualTo("streams");
        assertThat(dead.value.topic()).isEqualTo(Topics.READINGS_RAW);
        assertThat(dead.value.index()).isEqualTo(-1);
        assertThat(dead.value.receivedAt()).isEqualTo(R1.receivedAt());
        assertThat(dead.value.detail()).contains("\"F1\"", "not registered");
        assertThat(decode(dead.value.payloadBase64(), Reading.class)).isEqualTo(R1);
    }

    @Test
    void rejectsReadingsOfAFieldWhoseRegistrationCannotBeReadAndRecoversWhenItIsFixed() {
        start();
        fields.pipeInput("F1", "{\"id\":\"F1\",".getBytes(StandardCharsets.UTF_8));

        send(R1);
        fields.pipeInput("F1", json(F1));
        Reading next = reading("S1", "F1", Quantity.VWC, T0.plusSeconds(60), 0.32);
        send(next);

        Rejection dead = rejected.readValue();
        assertThat(dead.reason()).isEqualTo(Rejections.UNKNOWN_FIELD);
        assertThat(dead.detail()).contains("cannot be read");
        assertThat(released().readValuesToList()).extracting(EnrichedReading::reading).containsExactly(next);
    }

    @Test
    void forgetsAFieldWhoseRegistrationIsDeleted() {
        start();
        fields.pipeInput("F1", json(F1));
        fields.pipeInput("F1", (byte[]) null);

        send(R1);

        assertThat(released().isEmpty()).isTrue();
        assertThat(rejected.readValue().reason()).isEqualTo(Rejections.UNKNOWN_FIELD);
    }

    @Test
    void rejectsARegistrationFiledUnderAnotherFieldsKey() {
        start();
        fields.pipeInput("F1", json(field("F9", GERMANY, 1)));

        send(R1);

        assertThat(released().isEmpty()).isTrue();
        assertThat(rejected.readValue().detail()).contains("\"F9\"");
    }

    static Stream<Arguments> secondCopies() {
        return Stream.of(
                Arguments.of("a redelivery of the same message", (UnaryOperator<Reading>) r -> r, true),
                Arguments.of("the same reading from another gateway message",
                        (UnaryOperator<Reading>) r -> new Reading("gw-2", 99, r.sensor(), r.field(), r.quantity(),
                                r.time(), r.value(), r.depthTopCm(), r.depthBottomCm(), r.receivedAt().plusSeconds(600)),
                        true),
                Arguments.of("the same identity with another value (first one wins)",
                        (UnaryOperator<Reading>) r -> reading(r.sensor(), r.field(), r.quantity(), r.time(), 0.5), true),
                Arguments.of("another quantity at the same time",
                        (UnaryOperator<Reading>) r -> reading(r.sensor(), r.field(), Quantity.SOIL_TEMPERATURE, r.time(), 11),
                        false),
                Arguments.of("another sensor at the same time",
                        (UnaryOperator<Reading>) r -> reading("S2", r.field(), r.quantity(), r.time(), r.value()), false),
                Arguments.of("the same sensor one millisecond later",
                        (UnaryOperator<Reading>) r -> reading(r.sensor(), r.field(), r.quantity(), r.time().plusMillis(1),
                                r.value()), false));
    }

    @ParameterizedTest(name = "{0}: duplicate={2}")
    @MethodSource("secondCopies")
    void dropsASecondCopyOfTheSameReadingOnly(String description, UnaryOperator<Reading> secondCopy, boolean duplicate) {
        start();
        fields.pipeInput("F1", json(F1));
        Reading second = secondCopy.apply(R1);

        send(R1);
        send(second);

        List<Reading> forwarded = released().readValuesToList().stream().map(EnrichedReading::reading).toList();
        // Quality control releases the latest reading of each series together, in no particular order.
        assertThat(forwarded).containsExactlyInAnyOrderElementsOf(duplicate ? List.of(R1) : List.of(R1, second));
        assertThat(Samples.total(driver, DropDuplicates.METRIC)).isEqualTo(duplicate ? 1.0 : 0.0);
        assertThat(rejected.isEmpty()).isTrue();
    }

    @Test
    void dropsEveryLaterCopyWithinTheRetention() {
        start(Duration.ofHours(1));
        fields.pipeInput("F1", json(F1));

        send(R1);
        for (int minutes : new int[] {1, 30, 59}) {
            send(withReceivedAt(R1, R1.receivedAt().plus(Duration.ofMinutes(minutes))));
        }

        assertThat(released().readValuesToList()).hasSize(1);
        assertThat(Samples.total(driver, DropDuplicates.METRIC)).isEqualTo(3.0);
    }

    @Test
    void remembersAnIdentityOnlyForTheRetention() {
        start(Duration.ofHours(1));
        fields.pipeInput("F1", json(F1));

        send(R1);
        send(withReceivedAt(R1, R1.receivedAt().plus(Duration.ofHours(2))));

        assertThat(released().readValuesToList()).hasSize(2);
    }

    static Stream<Arguments> poisonRecords() {
        String good = new String(json(R1), StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("not JSON", "hello"),
                Arguments.of("empty", ""),
                Arguments.of("truncated", good.substring(0, good.length() / 2)),
                Arguments.of("JSON null", "null"),
                Arguments.of("a JSON array", "[]"),
                Arguments.of("a required property missing", good.replace("\"sensor\":\"S1\",", "")),
                Arguments.of("an unknown property", good.replace("{", "{\"colour\":\"red\",")),
                Arguments.of("a duplicate property", good.replace("{", "{\"value\":0.2,")),
                Arguments.of("trailing tokens", good + " {}"),
                Arguments.of("a physically impossible value", good.replace("\"value\":0.31", "\"value\":1.7")),
                Arguments.of("an unknown quantity", good.replace("\"vwc\"", "\"colour\"")),
                Arguments.of("a time that is no time", good.replace("2026-11-20T09:00:00Z", "yesterday")),
                Arguments.of("nesting deeper than allowed", "[".repeat(500) + "]".repeat(500)),
                Arguments.of("not UTF-8", new String(new byte[] {(byte) 0xC3, (byte) 0x28}, StandardCharsets.ISO_8859_1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisonRecords")
    void deadLettersAPoisonRecordAndCarriesOn(String description, String payload) {
        start();
        fields.pipeInput("F1", json(F1));
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        Instant arrival = T0.plusSeconds(30);

        raw.pipeInput("S1", bytes, arrival);
        send(R1);

        KeyValue<String, Rejection> dead = rejected.readKeyValue();
        assertThat(dead.key).isEqualTo("S1");
        assertThat(dead.value.reason()).isEqualTo(Rejections.MALFORMED_RECORD);
        assertThat(dead.value.source()).isEqualTo("streams");
        assertThat(dead.value.topic()).isEqualTo(Topics.READINGS_RAW);
        assertThat(dead.value.index()).isEqualTo(-1);
        assertThat(dead.value.receivedAt()).isEqualTo(arrival);
        assertThat(dead.value.detail()).isNotBlank().doesNotContain("\tat ");
        assertThat(Base64.getDecoder().decode(dead.value.payloadBase64())).isEqualTo(bytes);
        assertThat(rejected.isEmpty()).isTrue();
        assertThat(released().readValuesToList()).extracting(EnrichedReading::reading).containsExactly(R1);
    }

    @Test
    void deadLettersARecordWithoutValueAndCarriesOn() {
        start();
        fields.pipeInput("F1", json(F1));

        raw.pipeInput("S1", (byte[]) null, T0);
        send(R1);

        Rejection dead = rejected.readValue();
        assertThat(dead.reason()).isEqualTo(Rejections.MALFORMED_RECORD);
        assertThat(dead.payloadBase64()).isEmpty();
        assertThat(released().readValuesToList()).hasSize(1);
    }

    @Test
    void deadLettersAReadingNotKeyedByItsSensor() {
        start();
        fields.pipeInput("F1", json(F1));

        raw.pipeInput("S7", json(R1), T0);

        Rejection dead = rejected.readValue();
        assertThat(dead.reason()).isEqualTo(Rejections.MALFORMED_RECORD);
        assertThat(dead.detail()).contains("\"S7\"", "\"S1\"");
        assertThat(Base64.getDecoder().decode(dead.payloadBase64())).isEqualTo(json(R1));
        assertThat(released().isEmpty()).isTrue();
    }

    private static Reading withReceivedAt(Reading r, Instant receivedAt) {
        return new Reading(r.gateway(), r.seq(), r.sensor(), r.field(), r.quantity(), r.time(), r.value(),
                r.depthTopCm(), r.depthBottomCm(), receivedAt);
    }

    private static <T> T decode(String base64, Class<T> type) {
        try {
            return org.soilobs.model.Json.mapper().readValue(Base64.getDecoder().decode(base64), type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
