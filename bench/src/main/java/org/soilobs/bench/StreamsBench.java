package org.soilobs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Topics;
import org.soilobs.streams.StreamsApp;
import org.soilobs.streams.StreamsSettings;
import org.soilobs.streams.TopicBootstrap;
import org.soilobs.testkit.EmbeddedKafka;

/**
 * Readings per second through both streams jobs alone — decode check, de-duplication, enrichment, quality
 * control, then 1 h and 1 d aggregation rolled up to the world — with {@code exactly_once_v2} on a real
 * (embedded, KRaft) broker, against the aim of 40 000 readings/s.
 *
 * <p>The raw readings are written before the jobs start, so producing them costs nothing here. The clock
 * runs from the moment both jobs are RUNNING until every consumer group of both jobs (raw, clean and the
 * internal repartition topics of every roll-up level) has committed to the end of its partitions: only then
 * is every reading in an aggregate at every level.
 *
 * <p>Usage: {@code ./observatory bench streams [readings, default 200000] [sensors, default 2000]}.
 */
public final class StreamsBench {

    private static final List<Placement> PLACES = List.of(new Placement("DEU", "155", "150"),
            new Placement("FRA", "155", "150"), new Placement("KEN", "014", "002"),
            new Placement("NGA", "011", "002"), new Placement("BRA", "005", "019"), new Placement("IND", "034", "142"));
    private static final int SENSORS_PER_FIELD = 10;
    private static final Duration POLL = Duration.ofMillis(200);

    private StreamsBench() {
    }

    public static void main(String[] args) throws Exception {
        int readings = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int sensors = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path dir = Files.createTempDirectory("streams-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            StreamsSettings settings = StreamsSettings.fromEnv(Map.of(
                    "OBS_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "OBS_STREAMS_APP_ID", "bench",
                    "OBS_STREAMS_STATE_DIR", dir.resolve("streams").toString(),
                    "OBS_STREAMS_QC_HOLD", "PT1S"));
            kafka.createTopics(TopicBootstrap.topics(settings.partitions(), settings.replication()));
            produce(kafka.bootstrapServers(), readings, sensors);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
                    StreamsApp.Running running = StreamsApp.start(settings)) {
                running.awaitRunning(Duration.ofMinutes(2));
                long began = System.nanoTime();
                awaitCaughtUp(admin, List.of("bench-" + StreamsApp.ENRICH, "bench-" + StreamsApp.AGGREGATE));
                double seconds = (System.nanoTime() - began) / 1e9;

                BenchReport report = new BenchReport("streams");
                report.add("readings through QC, enrichment, 1 h + 1 d roll-ups", readings / seconds, "readings/s",
                        String.format("%d readings of %d sensors in %.1f s; exactly_once_v2, 1 thread per job, "
                                + "%d partitions, embedded broker on the same machine; aim 40 000",
                                readings, sensors, seconds, settings.partitions()));
                report.write();
            }
        }
    }

    /** One VWC reading per sensor and minute, a gentle daily wave, ending an hour ago: none is late or flagged. */
    private static void produce(String bootstrap, int readings, int sensors) throws Exception {
        int fields = Math.max(1, sensors / SENSORS_PER_FIELD);
        int perSensor = Math.max(1, readings / sensors);
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(perSensor + 60L));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            for (int f = 0; f < fields; f++) {
                Field field = new Field("F" + f, 8.5, 49.0, 1 + f % 97, "cropland", 1.3, 0.1, 30,
                        PLACES.get(f % PLACES.size()));
                producer.send(new ProducerRecord<>(Topics.FIELDS, field.id(), Json.mapper().writeValueAsBytes(field)));
            }
            int sent = 0;
            for (int minute = 0; sent < readings; minute++) {
                Instant time = start.plus(Duration.ofMinutes(minute));
                for (int s = 0; s < sensors && sent < readings; s++, sent++) {
                    double value = 0.25 + 0.03 * Math.sin((minute + s) * 2 * Math.PI / 1440);
                    Reading reading = new Reading("gw-" + s / 50, minute, "S" + s, "F" + (s % fields), Quantity.VWC,
                            time, value, 0, 30, time.plusSeconds(5));
                    producer.send(new ProducerRecord<>(Topics.READINGS_RAW, reading.sensor(),
                            Json.mapper().writeValueAsBytes(reading)));
                }
            }
            producer.flush();
        }
    }

    /** Until every partition each group reads has its committed offset at the partition's end, twice in a row. */
    private static void awaitCaughtUp(Admin admin, List<String> groups) throws Exception {
        int settled = 0;
        while (settled < 2) {
            Thread.sleep(POLL.toMillis());
            settled = caughtUp(admin, groups) ? settled + 1 : 0;
        }
    }

    private static boolean caughtUp(Admin admin, List<String> groups) throws InterruptedException, ExecutionException {
        List<Map<TopicPartition, OffsetAndMetadata>> committed = new ArrayList<>();
        for (String group : groups) {
            committed.add(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
        }
        Map<TopicPartition, OffsetAndMetadata> all = committed.stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
        if (committed.stream().anyMatch(Map::isEmpty)) {
            return false;
        }
        Map<TopicPartition, OffsetSpec> latest = Stream.concat(all.keySet().stream(),
                        admin.describeTopics(List.of(Topics.READINGS_RAW, Topics.READINGS_CLEAN)).allTopicNames().get().values().stream()
                                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))))
                .distinct()
                .sorted(Comparator.comparing(TopicPartition::toString))
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        return latest.keySet().stream().allMatch(tp -> ends.get(tp).offset() == 0
                || (all.containsKey(tp) && all.get(tp).offset() >= ends.get(tp).offset()));
    }
}
