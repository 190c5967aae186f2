package org.soilobs.streams.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Placement;
import org.soilobs.model.Progress;
import org.soilobs.model.Progress.Status;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;
import org.soilobs.model.Topics;
import org.soilobs.streams.TopicBootstrap;
import org.soilobs.streams.serde.JsonSerde;
import org.soilobs.testkit.EmbeddedKafka;

/**
 * The carbon job on a real broker, exactly-once, two partitions: fourteen months of daily SOC for three
 * fields in, progress at every level out, read back {@code read_committed} as the sink reads it.
 */
class CarbonProgressIT {

    /** A safety net against a hung job, not a speed requirement. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final LocalDate FROM = LocalDate.parse("2025-01-01");
    private static final int DAYS = 425;
    private static final Instant LAST = FROM.plusDays(DAYS - 1).atStartOfDay(ZoneOffset.UTC).toInstant();

    @TempDir
    Path kafkaDir;
    @TempDir
    Path stateDir;

    @Test
    void publishesProgressAtEveryLevelThroughARealBroker() throws Exception {
        Placement france = new Placement("FRA", "155", "150");
        List<Field> fields = List.of(
                new Field("fr-1", 2, 47, 10, "cropland", 1.3, 0, 30, france),
                new Field("fr-2", 3, 46, 30, "grassland", 1.2, 0.1, 30, france),
                new Field("de-1", 9, 50, 20, "cropland", 1.4, 0, 30, new Placement("DEU", "155", "150")));
        double[] rates = {0.008, 0, -0.01};
        try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir)) {
            kafka.createTopics(TopicBootstrap.topics(2, (short) 1));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (Field field : fields) {
                    producer.send(new ProducerRecord<>(Topics.FIELDS, field.id().getBytes(), json(field))).get();
                }
                for (int d = 0; d < DAYS; d++) {
                    Instant day = FROM.plusDays(d).atStartOfDay(ZoneOffset.UTC).toInstant();
                    for (int i = 0; i < fields.size(); i++) {
                        Field field = fields.get(i);
                        double soc = 15 * (1 + rates[i] * d / 365.25) + 0.05 * ((d * 7 + i) % 5 - 2);
                        AggregateKey key = new AggregateKey(Level.FIELD, field.id(), Quantity.SOC, Resolution.DAY, day);
                        Stats stats = Stats.of(soc, day.plusSeconds(43_200), List.of("G"))
                                .weightedByFieldArea(field.areaHa());
                        producer.send(new ProducerRecord<>(Topics.AGGREGATES, json(key), json(new Aggregate(key, stats, 1))));
                    }
                }
                producer.flush();
            }

            try (KafkaStreams streams = new KafkaStreams(CarbonProgress.build(), properties(kafka))) {
                streams.start();
                Map<String, Progress> progress = readProgressUntil(kafka, last -> {
                    Progress world = last.get("world/001");
                    return world != null && world.fieldsWithTrend() == 3 && world.asOf().equals(LAST);
                });

                Progress fr1 = progress.get("field/fr-1");
                Progress fr2 = progress.get("field/fr-2");
                Progress de1 = progress.get("field/de-1");
                assertThat(fr1.status()).isEqualTo(Status.ON_TRACK);
                assertThat(fr2.status()).isEqualTo(Status.NOT_ON_TRACK);
                assertThat(de1.status()).isEqualTo(Status.LOSING);
                Progress fra = progress.get("country/FRA");
                assertThat(fra.fields()).isEqualTo(2);
                assertThat(fra.rate()).isCloseTo((fr1.deltaTPerYear() + fr2.deltaTPerYear())
                        / (fr1.baselineStockT() + fr2.baselineStockT()), within(1e-15));
                double deltaT = fr1.deltaTPerYear() + fr2.deltaTPerYear() + de1.deltaTPerYear();
                double baselineT = fr1.baselineStockT() + fr2.baselineStockT() + de1.baselineStockT();
                for (String area : List.of("subregion/155", "region/150", "world/001")) {
                    assertThat(progress.get(area).rate()).as(area).isCloseTo(deltaT / baselineT, within(1e-15));
                    assertThat(progress.get(area).fieldsByStatus())
                            .containsEntry("on_track", 1).containsEntry("not_on_track", 1).containsEntry("losing", 1);
                }
            }
        }
    }

    private Properties properties(EmbeddedKafka kafka) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "carbon-it");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return properties;
    }

    /** Reads {@code soil.progress} from the start, committed only, until {@code done} holds at the end of it. */
    private static Map<String, Progress> readProgressUntil(EmbeddedKafka kafka,
                                                           java.util.function.Predicate<Map<String, Progress>> done) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROGRESS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<String, Progress> last = new HashMap<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = new String(record.key());
                    if (record.value() == null) {
                        last.remove(key);
                    } else {
                        last.put(key, JsonSerde.of(Progress.class).deserializer().deserialize(Topics.PROGRESS, record.value()));
                    }
                }
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                boolean atEnd = partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
                if (atEnd && done.test(last)) {
                    return last;
                }
            }
            throw new AssertionError("the carbon job did not deliver within " + PATIENCE + "; have " + last.keySet());
        }
    }

    private static byte[] json(Object value) {
        return JsonSerde.of(Object.class).serializer().serialize("", value);
    }
}
