package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.soilobs.streams.Samples.FRANCE;
import static org.soilobs.streams.Samples.GERMANY;
import static org.soilobs.streams.Samples.KENYA;
import static org.soilobs.streams.Samples.NIGERIA;
import static org.soilobs.streams.Samples.T0;
import static org.soilobs.streams.Samples.enriched;
import static org.soilobs.streams.Samples.field;
import static org.soilobs.streams.Samples.json;
import static org.soilobs.streams.Samples.reading;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;
import org.soilobs.model.Topics;
import org.soilobs.streams.aggregate.GraceGate;
import org.soilobs.streams.aggregate.WindowableCheck;
import org.soilobs.streams.check.Rejections;

class AggregateReadingsTest {

    private static final Duration GRACE = Duration.ofHours(6);

    private static final Field DE_1 = field("DE-1", GERMANY, 12.5);
    private static final Field DE_2 = field("DE-2", GERMANY, 40);
    private static final Field FR_1 = field("FR-1", FRANCE, 7.25);
    private static final Field KE_1 = field("KE-1", KENYA, 3);
    private static final Field KE_2 = field("KE-2", KENYA, 120);
    private static final Field NG_1 = field("NG-1", NIGERIA, 55);
    private static final List<Field> FIELDS = List.of(DE_1, DE_2, FR_1, KE_1, KE_2, NG_1);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> clean;
    private TestOutputTopic<AggregateKey, Aggregate> aggregates;
    private TestOutputTopic<String, Rejection> rejected;
    private TestOutputTopic<String, EnrichedReading> late;
    private final List<EnrichedReading> sent = new ArrayList<>();

    private void start(Duration grace) {
        driver = new TopologyTestDriver(AggregateReadings.build(grace), Samples.properties(stateDir));
        clean = driver.createInputTopic(Topics.READINGS_CLEAN, new StringSerializer(), new ByteArraySerializer());
        aggregates = driver.createOutputTopic(Topics.AGGREGATES, Samples.deserializer(AggregateKey.class),
                Samples.deserializer(Aggregate.class));
        rejected = driver.createOutputTopic(Topics.READINGS_REJECTED, new StringDeserializer(),
                Samples.deserializer(Rejection.class));
        late = driver.createOutputTopic(Topics.READINGS_LATE, new StringDeserializer(),
                Samples.deserializer(EnrichedReading.class));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private EnrichedReading send(Field field, String sensor, Quantity quantity, Instant time, double value) {
        EnrichedReading enriched = enriched(reading(sensor, field.id(), quantity, time, value), field);
        clean.pipeInput(sensor, json(enriched), time.plusSeconds(5));
        sent.add(enriched);
        return enriched;
    }

    private static AggregateKey key(Level level, String area, Quantity quantity, Resolution resolution, String bucket) {
        return new AggregateKey(level, area, quantity, resolution, Instant.parse(bucket));
    }

    @Test
    void computesExactHourlyAndDailyFieldStatistics() {
        start(GRACE);
        send(DE_1, "S1", Quantity.VWC, T0.plus(Duration.ofMinutes(10)), 0.30);
        send(DE_1, "S2", Quantity.VWC, T0.plus(Duration.ofMinutes(40)), 0.20);
        send(DE_1, "S1", Quantity.VWC, T0.plus(Duration.ofMinutes(65)), 0.50);

        Map<AggregateKey, Aggregate> last = Samples.lastValues(aggregates);

        Aggregate nine = last.get(key(Level.FIELD, "DE-1", Quantity.VWC, Resolution.HOUR, "2026-11-20T09:00:00Z"));
        assertStats(nine.stats(), 2, 0.50, 0.13, 0.20, 0.30, "2026-11-20T09:10:00Z", "2026-11-20T09:40:00Z");
        assertThat(nine.stats().areaHa()).isEqualTo(12.5);
        assertThat(nine.stats().areaWeightedMean()).isCloseTo(0.25, within(1e-12));
        assertThat(nine.members()).isEqualTo(1);

        Aggregate ten = last.get(key(Level.FIELD, "DE-1", Quantity.VWC, Resolution.HOUR, "2026-11-20T10:00:00Z"));
        assertStats(ten.stats(), 1, 0.50, 0.25, 0.50, 0.50, "2026-11-20T10:05:00Z", "2026-11-20T10:05:00Z");

        Aggregate day = last.get(key(Level.FIELD, "DE-1", Quantity.VWC, Resolution.DAY, "2026-11-20T00:00:00Z"));
        assertStats(day.stats(), 3, 1.00, 0.38, 0.20, 0.50, "2026-11-20T09:10:00Z", "2026-11-20T10:05:00Z");
        assertThat(day.stats().areaWeightedMean()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(day.stats().flags()).containsExactlyEntriesOf(Map.of("G", 3L));
    }

    @ParameterizedTest(name = "{0} → hour {1}, day {2}")
    @CsvSource({
            "2026-11-20T23:59:59.999Z, 2026-11-20T23:00:00Z, 2026-11-20T00:00:00Z",
            "2026-11-21T00:00:00Z,     2026-11-21T00:00:00Z, 2026-11-21T00:00:00Z",
            "2026-11-20T09:00:00Z,     2026-11-20T09:00:00Z, 2026-11-20T00:00:00Z",
            "2026-11-20T09:59:59.999Z, 2026-11-20T09:00:00Z, 2026-11-20T00:00:00Z",
            "2024-02-29T12:30:00Z,     2024-02-29T12:00:00Z, 2024-02-29T00:00:00Z"})
    void bucketsReadingsByUtcHourAndDay(String time, String hour, String day) {
        start(GRACE);

        send(DE_1, "S1", Quantity.SOC, Instant.parse(time), 21);

        assertThat(Samples.lastValues(aggregates).keySet())
                .contains(key(Level.FIELD, "DE-1", Quantity.SOC, Resolution.HOUR, hour))
                .contains(key(Level.FIELD, "DE-1", Quantity.SOC, Resolution.DAY, day))
                .hasSize(2 * Level.values().length);
    }

    @Test
    void rollsUpToEveryLevelLikeASimpleRecount() {
        start(GRACE);
        double[] socs = {12.0, 18.5, 7.25, 30.0, 22.0, 15.5};
        for (int i = 0; i < 24; i++) {
            Field field = FIELDS.get(i % FIELDS.size());
            Instant time = T0.plus(Duration.ofMinutes(17L * i));
            send(field, field.id() + "-s" + (i % 2), Quantity.SOC, time, socs[i % socs.length] + i);
            send(field, field.id() + "-s" + (i % 2), Quantity.VWC, time, 0.05 + 0.02 * i);
        }

        Map<AggregateKey, Aggregate> last = Samples.lastValues(aggregates);

        Recount.assertAggregatesMatch(last, sent);
        Aggregate world = last.get(key(Level.WORLD, "001", Quantity.SOC, Resolution.DAY, "2026-11-20T00:00:00Z"));
        assertThat(world.members()).isEqualTo(2);
        assertThat(world.stats().count()).isEqualTo(24);
        assertThat(world.stats().areaHa()).isCloseTo(FIELDS.stream().mapToDouble(Field::areaHa).sum(), within(1e-9));
        assertThat(last.get(key(Level.SUBREGION, "155", Quantity.SOC, Resolution.DAY, "2026-11-20T00:00:00Z")).members())
                .isEqualTo(2);
        assertThat(rejected.isEmpty()).isTrue();
    }

    @Test
    void replacesAFieldsContributionWhenALateReadingWithinGraceUpdatesItsBucket() {
        start(GRACE);
        send(DE_1, "S1", Quantity.SOC, T0.plus(Duration.ofMinutes(5)), 20);
        send(DE_1, "S1", Quantity.SOC, T0.plus(Duration.ofMinutes(35)), 24);
        send(DE_2, "S2", Quantity.SOC, T0.plus(Duration.ofMinutes(15)), 10);
        send(KE_1, "S3", Quantity.SOC, T0.plus(Duration.ofMinutes(25)), 8);
        send(KE_1, "S3", Quantity.SOC, T0.plus(Duration.ofHours(5)), 9);

        send(DE_1, "S1", Quantity.SOC, T0.plus(Duration.ofMinutes(50)), 40);

        Map<AggregateKey, Aggregate> last = Samples.lastValues(aggregates);
        Recount.assertAggregatesMatch(last, sent);
        Aggregate germany = last.get(key(Level.COUNTRY, "DEU", Quantity.SOC, Resolution.HOUR, "2026-11-20T09:00:00Z"));
        assertThat(germany.stats().count()).isEqualTo(4);
        assertThat(germany.stats().max()).isEqualTo(40);
        assertThat(germany.members()).isEqualTo(2);
        // DE-1 now averages 28 over 12.5 ha, DE-2 10 over 40 ha
        assertThat(germany.stats().areaWeightedMean()).isCloseTo((12.5 * 28 + 40 * 10) / 52.5, within(1e-9));
        Aggregate world = last.get(key(Level.WORLD, "001", Quantity.SOC, Resolution.HOUR, "2026-11-20T09:00:00Z"));
        assertThat(world.stats().count()).isEqualTo(5);
        assertThat(world.stats().sum()).isCloseTo(20 + 24 + 10 + 8 + 40, within(1e-9));
        assertThat(Samples.total(driver, GraceGate.METRIC)).isZero();
    }

    @Test
    void movesAFieldsWholeBucketWhenItsPlacementChanges() {
        start(GRACE);
        send(DE_1, "S1", Quantity.SOC, T0.plus(Duration.ofMinutes(5)), 20);
        send(FR_1, "S2", Quantity.SOC, T0.plus(Duration.ofMinutes(10)), 30);
        Field movedToFrance = field("DE-1", FRANCE, 12.5);

        send(movedToFrance, "S1", Quantity.SOC, T0.plus(Duration.ofMinutes(20)), 22);

        Map<AggregateKey, Aggregate> last = Samples.lastValues(aggregates);
        assertThat(last).doesNotContainKey(key(Level.COUNTRY, "DEU", Quantity.SOC, Resolution.HOUR, "2026-11-20T09:00:00Z"))
                .doesNotContainKey(key(Level.COUNTRY, "DEU", Quantity.SOC, Resolution.DAY, "2026-11-20T00:00:00Z"));
        Aggregate france = last.get(key(Level.COUNTRY, "FRA", Quantity.SOC, Resolution.HOUR, "2026-11-20T09:00:00Z"));
        assertThat(france.members()).isEqualTo(2);
        assertThat(france.stats().count()).isEqualTo(3);
        assertThat(france.stats().areaHa()).isCloseTo(12.5 + 7.25, within(1e-9));
        Aggregate westernEurope = last.get(key(Level.SUBREGION, "155", Quantity.SOC, Resolution.HOUR, "2026-11-20T09:00:00Z"));
        assertThat(westernEurope.members()).isEqualTo(1);
        assertThat(westernEurope.stats().count()).isEqualTo(3);
        Aggregate world = last.get(key(Level.WORLD, "001", Quantity.SOC, Resolution.DAY, "2026-11-20T00:00:00Z"));
        assertThat(world.stats().count()).isEqualTo(3);
        assertThat(world.stats().sum()).isCloseTo(72, within(1e-9));
    }

    @ParameterizedTest(name = "stream time {0}: late reading at 09:30 counted = {1}")
    @CsvSource({
            "2026-11-20T15:59:59.999Z, true",
            "2026-11-20T16:00:00Z,     false",
            "2026-11-21T09:00:00Z,     false"})
    void countsAReadingOnlyWhileItsHourIsWithinTheGracePeriod(String streamTime, boolean counted) {
        start(GRACE);
        send(DE_1, "S1", Quantity.SOC, T0.plus(Duration.ofMinutes(5)), 20);
        send(KE_1, "S3", Quantity.SOC, Instant.parse(streamTime), 9);
        List<EnrichedReading> before = List.copyOf(sent);

        EnrichedReading last = send(DE_1, "S1", Quantity.SOC, T0.plus(Duration.ofMinutes(30)), 40);

        Recount.assertAggregatesMatch(Samples.lastValues(aggregates), counted ? sent : before);
        assertThat(Samples.total(driver, GraceGate.METRIC)).isEqualTo(counted ? 0.0 : 1.0);
        assertThat(late.readKeyValuesToList()).as("the late topic, keyed by sensor")
                .isEqualTo(counted ? List.of() : List.of(KeyValue.pair("S1", last)));
    }

    @Test
    void deadLettersAPoisonCleanRecordAndCarriesOn() {
        start(GRACE);
        byte[] poison = "{\"reading\":".getBytes(StandardCharsets.UTF_8);

        clean.pipeInput("S1", poison, T0);
        send(DE_1, "S1", Quantity.SOC, T0, 20);

        Rejection dead = rejected.readValue();
        assertThat(dead.reason()).isEqualTo(Rejections.MALFORMED_RECORD);
        assertThat(dead.topic()).isEqualTo(Topics.READINGS_CLEAN);
        assertThat(Base64.getDecoder().decode(dead.payloadBase64())).isEqualTo(poison);
        Recount.assertAggregatesMatch(Samples.lastValues(aggregates), sent);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "stamped before 1970,                        1969-12-31T23:00:00Z,     2026-11-20T09:00:05Z",
            "stamped a year after it reached Kafka,      2027-11-20T09:00:00Z,     2026-11-20T09:00:05Z",
            "stamped and received a year ahead of Kafka, 2027-11-20T09:00:00Z,     2027-11-20T09:00:05Z",
            "stamped 10 min 1 ms after it reached Kafka, 2026-11-20T09:10:05.001Z, 2026-11-20T09:00:05Z"})
    void keepsAReadingWhoseTimeCannotBeWindowedOutWithoutDisturbingOthers(String description, String time,
                                                                           String receivedAt) {
        start(GRACE);
        Reading odd = new Reading("gw-1", 1, "S1", "DE-1", Quantity.SOC, Instant.parse(time), 20, 0, 30,
                Instant.parse(receivedAt));

        clean.pipeInput("S1", json(enriched(odd, DE_1)), Instant.parse("2026-11-20T09:00:05Z"));
        send(DE_1, "S1", Quantity.SOC, T0.plus(Duration.ofMinutes(1)), 30);
        send(DE_2, "S2", Quantity.SOC, T0.plus(Duration.ofMinutes(2)), 40);

        Recount.assertAggregatesMatch(Samples.lastValues(aggregates), sent);
        assertThat(Samples.total(driver, WindowableCheck.METRIC)).isEqualTo(1.0);
        assertThat(Samples.total(driver, GraceGate.METRIC)).isZero();
    }

    @Test
    void windowsAReadingStampedUpToTenMinutesAfterItArrived() {
        start(GRACE);
        Instant arrival = T0.plus(Duration.ofMinutes(1));
        Reading early = new Reading("gw-1", 1, "S1", "DE-1", Quantity.SOC, arrival.plus(Duration.ofMinutes(10)), 20,
                0, 30, arrival);

        clean.pipeInput("S1", json(enriched(early, DE_1)), arrival);

        Recount.assertAggregatesMatch(Samples.lastValues(aggregates), List.of(enriched(early, DE_1)));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261120})
    void shuffledRandomReadingsWithinGraceAggregateLikeASimpleRecount(long seed) {
        start(GRACE);
        Random random = new Random(seed);
        // Five hours across midnight: two days, and no reading can fall behind the 6 h grace.
        Instant start = Instant.parse("2026-11-20T22:00:00Z");
        List<EnrichedReading> readings = randomReadings(random, 300, start, Duration.ofHours(5));
        Collections.shuffle(readings, random);

        readings.forEach(this::send);

        Recount.assertAggregatesMatch(Samples.lastValues(aggregates), readings);
        assertThat(Samples.total(driver, GraceGate.METRIC)).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void shuffledRandomReadingsBeyondGraceAreLeftOutExactly(long seed) {
        Duration grace = Duration.ofHours(1);
        start(grace);
        Random random = new Random(seed);
        List<EnrichedReading> readings = randomReadings(random, 300, Instant.parse("2026-11-20T20:00:00Z"),
                Duration.ofHours(10));
        Collections.shuffle(readings, random);

        List<EnrichedReading> onTime = new ArrayList<>();
        long streamTime = Long.MIN_VALUE;
        for (EnrichedReading reading : readings) {
            send(reading);
            long time = reading.reading().time().toEpochMilli();
            streamTime = Math.max(streamTime, time);
            long hourEnd = Resolution.HOUR.bucketOf(reading.reading().time()).plus(Duration.ofHours(1)).toEpochMilli();
            if (hourEnd + grace.toMillis() > streamTime) {
                onTime.add(reading);
            }
        }

        assertThat(onTime).hasSizeLessThan(readings.size());
        Recount.assertAggregatesMatch(Samples.lastValues(aggregates), onTime);
        assertThat(Samples.total(driver, GraceGate.METRIC)).isEqualTo(readings.size() - onTime.size());
    }

    private void send(EnrichedReading enriched) {
        clean.pipeInput(enriched.reading().sensor(), json(enriched), enriched.reading().receivedAt());
    }

    private static List<EnrichedReading> randomReadings(Random random, int n, Instant start, Duration span) {
        List<EnrichedReading> readings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Field field = FIELDS.get(random.nextInt(FIELDS.size()));
            String sensor = field.id() + "-s" + random.nextInt(3);
            Instant time = start.plusMillis((long) (random.nextDouble() * span.toMillis()));
            boolean soc = random.nextBoolean();
            double value = soc ? 5 + 60 * random.nextDouble() : 0.6 * random.nextDouble();
            readings.add(enriched(reading(sensor, field.id(), soc ? Quantity.SOC : Quantity.VWC, time, value), field));
        }
        return readings;
    }

    private static void assertStats(Stats stats, long count, double sum, double sumSq, double min, double max,
                                    String first, String last) {
        assertThat(stats.count()).isEqualTo(count);
        assertThat(stats.sum()).isCloseTo(sum, within(1e-12));
        assertThat(stats.sumSq()).isCloseTo(sumSq, within(1e-12));
        assertThat(stats.min()).isEqualTo(min);
        assertThat(stats.max()).isEqualTo(max);
        assertThat(stats.first()).isEqualTo(Instant.parse(first));
        assertThat(stats.last()).isEqualTo(Instant.parse(last));
    }
}
