package org.soilobs.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
import org.soilobs.model.Reading;
import org.soilobs.model.Topics;
import org.soilobs.streams.StreamsApp;
import org.soilobs.streams.StreamsSettings;
import org.soilobs.streams.TopicBootstrap;
import org.soilobs.testkit.EmbeddedKafka;

/**
 * Readings per second through the live streams app — {@link StreamsApp} with both jobs, decode check,
 * de-duplication, enrichment, quality control, then 1 h and 1 d aggregation rolled up to the world — with
 * {@code exactly_once_v2}, real RocksDB stores and a real (embedded, KRaft) broker, against the aim of
 * 40 000 readings/s. {@link StreamsBench} measures the topologies alone, without broker or transactions.
 *
 * <p>The raw readings are written to {@code soil.readings.raw} before the jobs start, so producing them costs
 * nothing here. The clock runs from the moment both jobs are RUNNING until every consumer group of both jobs
 * (raw, clean and the internal repartition topics of every roll-up level) has committed to the end of its
 * partitions: only then is every reading in an aggregate at every level. The machine is shared, so the JVM's
 * CPU time over the same span is reported too: readings per CPU-second (streams and broker together) does
 * not depend on what else runs.
 *
 * <p>Usage: {@code ./observatory bench streamsLive [readings, default 200000] [sensors, default 2000]}.
 */
public final class StreamsLiveBench {

    private static final Duration POLL = Duration.ofMillis(200);

    private StreamsLiveBench() {
    }

    public static void main(String[] args) throws Exception {
        int readings = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int sensors = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path dir = Files.createTempDirectory("streams-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            // Tuning variables (OBS_STREAMS_COMMIT_INTERVAL, OBS_STREAMS_THREADS, OBS_TOPIC_PARTITIONS) pass through.
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putAll(Map.of(
                    "OBS_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "OBS_STREAMS_APP_ID", "bench",
                    "OBS_STREAMS_STATE_DIR", dir.resolve("streams").toString()));
            StreamsSettings settings = StreamsSettings.fromEnv(env);
            kafka.createTopics(TopicBootstrap.topics(settings.partitions(), settings.replication()));
            produce(kafka.bootstrapServers(), readings, sensors);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
                    StreamsApp.Running running = StreamsApp.start(settings)) {
                running.awaitRunning(Duration.ofMinutes(2));
                long began = System.nanoTime();
                long cpuBefore = processCpuNanos();
                double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                awaitCaughtUp(admin, List.of("bench-" + StreamsApp.ENRICH, "bench-" + StreamsApp.AGGREGATE));
                double seconds = (System.nanoTime() - began) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
                double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                long clean = endOffsets(admin, Topics.READINGS_CLEAN);
                long rejected = endOffsets(admin, Topics.READINGS_REJECTED);
                if (clean < readings || rejected > 0) {
                    throw new IllegalStateException("expected " + readings + " clean readings and no rejections, got "
                            + clean + " records in clean and " + rejected + " rejected");
                }

                BenchReport report = new BenchReport("streamsLive");
                String setup = String.format("%d readings of %d sensors; exactly_once_v2, commit interval %d ms, "
                                + "%d thread(s) per job, %d partitions, embedded broker in the same JVM",
                        readings, sensors, settings.commitIntervalMs(), settings.threads(), settings.partitions());
                report.add("live app: readings through QC, enrichment, 1 h + 1 d roll-ups", readings / seconds,
                        "readings/s", String.format("%s; %.1f s wall clock, load average %.1f → %.1f on %d cores; "
                                + "aim 40 000", setup, seconds, loadBefore, loadAfter,
                                Runtime.getRuntime().availableProcessors()));
                report.add("live app: readings per CPU-second (streams + broker)", readings / cpuSeconds,
                        "readings/CPU-s", String.format("%.1f CPU-s of this JVM over the same span", cpuSeconds));
                report.write();
            }
        }
    }

    /** The registry and the readings of {@link StreamsBench}, written before the jobs start. */
    private static void produce(String bootstrap, int readings, int sensors) throws Exception {
        List<Field> fields = StreamsBench.fields(sensors);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            for (Field field : fields) {
                producer.send(new ProducerRecord<>(Topics.FIELDS, field.id(), Json.mapper().writeValueAsBytes(field)));
            }
            for (Reading reading : StreamsBench.readings(readings, sensors, fields.size())) {
                producer.send(new ProducerRecord<>(Topics.READINGS_RAW, reading.sensor(),
                        Json.mapper().writeValueAsBytes(reading)));
            }
            producer.flush();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The sum of the topic's end offsets: its records plus one transaction marker per partition and commit
     * that wrote to it, so at least its record count (nothing is compacted or deleted in a run this short).
     */
    private static long endOffsets(Admin admin, String topic) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(r -> r.offset()).sum();
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
