package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.soilobs.streams.Samples.FRANCE;
import static org.soilobs.streams.Samples.GERMANY;
import static org.soilobs.streams.Samples.KENYA;
import static org.soilobs.streams.Samples.NIGERIA;
import static org.soilobs.streams.Samples.field;
import static org.soilobs.streams.Samples.json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Resolution;
import org.soilobs.model.Topics;
import org.soilobs.streams.aggregate.GraceGate;
import org.soilobs.streams.enrich.DropDuplicates;

/**
 * Both jobs chained, fed random readings with redelivered copies, shuffled times, flagged values and
 * readings later than the grace period: every aggregate at every level equals the {@link Recount} of the
 * readings that should count, decided here the plain way.
 */
class PipelinePropertyTest {

    private static final Duration GRACE = Duration.ofHours(1);
    private static final List<Field> FIELDS = List.of(field("DE-1", GERMANY, 12.5), field("DE-2", GERMANY, 40),
            field("FR-1", FRANCE, 7.25), field("KE-1", KENYA, 3), field("KE-2", KENYA, 120), field("NG-1", NIGERIA, 55));
    private static final List<Quantity> QUANTITIES = List.of(Quantity.VWC, Quantity.SOIL_TEMPERATURE, Quantity.PH);

    @TempDir
    Path stateDir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 20261123})
    void everyAggregateEqualsARecountOfTheFirstCopiesOnTimeAndFlaggedGood(long seed) throws Exception {
        Random random = new Random(seed);
        Instant start = Instant.parse("2026-11-20T20:00:00Z");
        Duration span = Duration.ofHours(8);
        List<Reading> sent = randomReadingsWithCopies(random, 400, start, span);

        List<TestRecord<String, EnrichedReading>> clean = enrich(sent);

        Set<String> firstCopies = new HashSet<>();
        sent.forEach(r -> firstCopies.add(r.identity()));
        assertThat(clean).filteredOn(r -> !r.value().isCorrection()).extracting(r -> r.value().reading().identity())
                .as("every reading once, none erased").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(firstCopies);
        assertThat(clean).extracting(r -> r.value().reading())
                .as("the first copy wins").allMatch(r -> r.gateway().equals("gw-1"));
        assertThat(clean).as("some readings earned flags").anyMatch(r -> !r.value().isGood());
        assertThat(clean).filteredOn(r -> r.value().isCorrection()).extracting(r -> r.value().reading().identity())
                .as("a reading is corrected at most once").doesNotHaveDuplicates();

        try (TopologyTestDriver aggregate = new TopologyTestDriver(AggregateReadings.build(GRACE),
                Samples.properties(Files.createDirectories(stateDir.resolve("aggregate"))))) {
            TestInputTopic<String, byte[]> in = aggregate.createInputTopic(Topics.READINGS_CLEAN,
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<AggregateKey, Aggregate> out = aggregate.createOutputTopic(Topics.AGGREGATES,
                    Samples.deserializer(AggregateKey.class), Samples.deserializer(Aggregate.class));
            TestOutputTopic<String, EnrichedReading> late = aggregate.createOutputTopic(Topics.READINGS_LATE,
                    new StringDeserializer(), Samples.deserializer(EnrichedReading.class));

            // A correction replaces its reading's first version, so the last version that passed the gate counts.
            List<EnrichedReading> onTime = new ArrayList<>();
            List<EnrichedReading> tooLate = new ArrayList<>();
            long streamTime = Long.MIN_VALUE;
            for (TestRecord<String, EnrichedReading> record : clean) {
                in.pipeInput(record.key(), json(record.value()), record.getRecordTime());
                Instant time = record.value().reading().time();
                streamTime = Math.max(streamTime, time.toEpochMilli());
                long hourEnd = Resolution.HOUR.bucketOf(time).plus(Duration.ofHours(1)).toEpochMilli();
                (hourEnd + GRACE.toMillis() > streamTime ? onTime : tooLate).add(record.value());
            }

            assertThat(tooLate).as("some readings are late").isNotEmpty();
            Recount.assertAggregatesMatch(Samples.lastValues(out), Recount.finalVersions(onTime));
            assertThat(late.readValuesToList()).containsExactlyElementsOf(tooLate);
            assertThat(Samples.total(aggregate, GraceGate.METRIC)).isEqualTo(tooLate.size());
        }
    }

    @org.junit.jupiter.api.Test
    void aCorrectedSpikeCountsOnceWithItsFinalFlagAtEveryLevel() throws Exception {
        Instant start = Instant.parse("2026-11-20T10:00:00Z");
        double[] values = {0.30, 0.30, 0.42, 0.30};
        List<Reading> sent = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Instant time = start.plus(Duration.ofMinutes(10L * i));
            sent.add(new Reading("gw-1", i, "DE-1-s0", "DE-1", Quantity.VWC, time, values[i], 0, 30, time.plusSeconds(5)));
        }

        List<TestRecord<String, EnrichedReading>> clean = enrich(sent);
        assertThat(clean).as("four readings and one correction").hasSize(5);

        try (TopologyTestDriver aggregate = new TopologyTestDriver(AggregateReadings.build(GRACE),
                Samples.properties(Files.createDirectories(stateDir.resolve("aggregate"))))) {
            TestInputTopic<String, byte[]> in = aggregate.createInputTopic(Topics.READINGS_CLEAN,
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<AggregateKey, Aggregate> out = aggregate.createOutputTopic(Topics.AGGREGATES,
                    Samples.deserializer(AggregateKey.class), Samples.deserializer(Aggregate.class));
            clean.forEach(record -> in.pipeInput(record.key(), json(record.value()), record.getRecordTime()));

            Map<AggregateKey, Aggregate> last = Samples.lastValues(out);
            for (Level level : Level.values()) {
                String area = level == Level.FIELD ? "DE-1" : GERMANY.codeAt(level);
                Aggregate hour = last.get(new AggregateKey(level, area, Quantity.VWC, Resolution.HOUR, start));
                assertThat(hour.stats().flags()).as(level.id()).containsExactlyInAnyOrderEntriesOf(Map.of("G", 3L, "D06", 1L));
                assertThat(hour.stats().count()).as(level.id()).isEqualTo(3);
            }
            Recount.assertAggregatesMatch(last, Recount.finalVersions(clean.stream().map(TestRecord::value).toList()));
        }
    }

    /** Runs the enrich job over the readings in the order given and returns everything it wrote to clean. */
    private List<TestRecord<String, EnrichedReading>> enrich(List<Reading> readings) throws Exception {
        try (TopologyTestDriver driver = new TopologyTestDriver(EnrichReadings.build(Duration.ofDays(7)),
                Samples.properties(Files.createDirectories(stateDir.resolve("enrich"))))) {
            TestInputTopic<String, byte[]> fields = driver.createInputTopic(Topics.FIELDS, new StringSerializer(),
                    new ByteArraySerializer());
            FIELDS.forEach(field -> fields.pipeInput(field.id(), json(field)));
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.READINGS_RAW, new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, EnrichedReading> clean = driver.createOutputTopic(Topics.READINGS_CLEAN,
                    new StringDeserializer(), Samples.deserializer(EnrichedReading.class));
            for (Reading reading : readings) {
                raw.pipeInput(reading.sensor(), json(reading), reading.receivedAt());
            }
            List<TestRecord<String, EnrichedReading>> out = clean.readRecordsToList();
            long firstVersions = out.stream().filter(r -> !r.value().isCorrection()).count();
            assertThat(Samples.total(driver, DropDuplicates.METRIC)).isEqualTo(readings.size() - firstVersions);
            return out;
        }
    }

    /**
     * Readings at random times, sent in random order, with about one in six sent again later from another
     * gateway (with another value: the first copy must win). Values stray out of the plausible range now and
     * then, and a sensor's series jumps about, so that quality control has something to flag.
     */
    private static List<Reading> randomReadingsWithCopies(Random random, int n, Instant start, Duration span) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Field field = FIELDS.get(random.nextInt(FIELDS.size()));
            Quantity quantity = QUANTITIES.get(random.nextInt(QUANTITIES.size()));
            Instant time = start.plusSeconds(60L * random.nextInt((int) span.toMinutes()));
            double value = switch (quantity) {
                case VWC -> 0.05 + 0.65 * random.nextDouble();
                case SOIL_TEMPERATURE -> -2 + 20 * random.nextDouble();
                default -> 2.5 + 6 * random.nextDouble();
            };
            readings.add(new Reading("gw-1", i, field.id() + "-s" + random.nextInt(2), field.id(), quantity, time,
                    value, 0, 30, time));
        }
        Collections.shuffle(readings, random);
        // A copy goes somewhere after its original: sort by a position, the copy's drawn beyond the original's.
        List<Map.Entry<Double, Reading>> positioned = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            Reading reading = readings.get(i);
            positioned.add(Map.entry((double) i, reading));
            if (random.nextInt(6) == 0) {
                double later = i + 0.5 + random.nextDouble() * (readings.size() - i);
                positioned.add(Map.entry(later, new Reading("gw-2", reading.seq(), reading.sensor(), reading.field(),
                        reading.quantity(), reading.time(), reading.value() * 0.95, 0, 30, reading.time())));
            }
        }
        positioned.sort(Map.Entry.comparingByKey());
        List<Reading> withCopies = positioned.stream().map(Map.Entry::getValue).toList();
        // Arrival is after every reading's time, in sending order, so no reading is from the future.
        Instant arrival = start.plus(span);
        List<Reading> stamped = new ArrayList<>();
        for (Reading r : withCopies) {
            arrival = arrival.plusMillis(10);
            stamped.add(new Reading(r.gateway(), r.seq(), r.sensor(), r.field(), r.quantity(), r.time(), r.value(),
                    r.depthTopCm(), r.depthBottomCm(), arrival));
        }
        return stamped;
    }
}
