package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.soilobs.streams.Samples.GERMANY;
import static org.soilobs.streams.Samples.KENYA;
import static org.soilobs.streams.Samples.field;
import static org.soilobs.streams.Samples.json;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Resolution;
import org.soilobs.model.Topics;
import org.soilobs.testkit.EmbeddedKafka;

/**
 * Two instances of the streams app share the partitions of both jobs, one in a child JVM; the child is
 * killed with SIGKILL mid-run. Exactly-once must hold across the take-over: every reading once in clean,
 * and every aggregate equal to the recount of the clean readings.
 */
class StreamsFailoverIT {

    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private static final List<Field> FIELDS = List.of(field("DE-1", GERMANY, 12.5), field("DE-2", GERMANY, 40),
            field("KE-1", KENYA, 3));
    private static final int SENSORS = 24;
    private static final int PER_SENSOR = 30;

    @TempDir
    Path kafkaDir;
    @TempDir
    Path stateDir;
    @TempDir
    Path childStateDir;

    @Test
    void survivesTheKillOfAnInstanceWithoutLosingOrDoubleCountingAReading() throws Exception {
        List<Reading> readings = new ArrayList<>();
        for (int minute = 0; minute < PER_SENSOR; minute++) {
            for (int s = 0; s < SENSORS; s++) {
                Field field = FIELDS.get(s % FIELDS.size());
                Instant time = DAY.plus(Duration.ofHours(9)).plus(Duration.ofMinutes(10L * minute));
                readings.add(new Reading("gw-1", minute, "S" + s, field.id(), Quantity.VWC, time,
                        0.25 + 0.001 * ((minute + s) % 7), 0, 30, time.plusSeconds(5)));
            }
        }
        int half = readings.size() / 2;

        try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir)) {
            Map<String, String> env = Map.of(
                    "OBS_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "OBS_STREAMS_APP_ID", "failover",
                    "OBS_TOPIC_PARTITIONS", "4");
            Map<String, String> survivorEnv = new HashMap<>(env);
            survivorEnv.put("OBS_STREAMS_STATE_DIR", stateDir.toString());
            StreamsSettings settings = StreamsSettings.fromEnv(survivorEnv);
            kafka.createTopics(TopicBootstrap.topics(settings.partitions(), settings.replication()));
            Process victim = null;
            try (KafkaProducer<String, byte[]> producer = StreamsAppIT.producer(kafka)) {
                for (Field field : FIELDS) {
                    producer.send(new ProducerRecord<>(Topics.FIELDS, field.id(), json(field))).get();
                }
                victim = startChild(env, childStateDir);
                send(producer, readings.subList(0, half / 2));
                StreamsAppIT.readUntil(kafka, Topics.READINGS_CLEAN, EnrichedReading.class, records -> !records.isEmpty());

                try (StreamsApp.Running survivor = StreamsApp.start(settings)) {
                    survivor.awaitRunning(Duration.ofMinutes(3));
                    send(producer, readings.subList(half / 2, half));
                    StreamsAppIT.readUntil(kafka, Topics.READINGS_CLEAN, EnrichedReading.class,
                            records -> records.size() >= half / 2);
                    assertThat(victim.isAlive()).as("the child instance is running").isTrue();

                    victim.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    send(producer, readings.subList(half, readings.size()));

                    List<EnrichedReading> published = StreamsAppIT.readUntil(kafka, Topics.READINGS_CLEAN,
                                    EnrichedReading.class,
                                    records -> records.stream().filter(r -> !r.value().isCorrection()).count() >= readings.size())
                            .stream().map(ConsumerRecord::value).toList();
                    assertThat(Recount.firstVersions(published)).extracting(EnrichedReading::reading)
                            .containsExactlyInAnyOrderElementsOf(readings);
                    assertThat(published).filteredOn(EnrichedReading::isCorrection)
                            .extracting(e -> e.reading().identity()).as("each correction once").doesNotHaveDuplicates();
                    List<EnrichedReading> clean = Recount.finalVersions(published);

                    AggregateKey worldDay = new AggregateKey(Level.WORLD, Level.WORLD_CODE, Quantity.VWC,
                            Resolution.DAY, DAY);
                    Map<AggregateKey, Aggregate> last = new HashMap<>();
                    StreamsAppIT.readUntil(kafka, Topics.AGGREGATES, AggregateKey.class, Aggregate.class,
                                    records -> records.stream().anyMatch(r -> r.key().equals(worldDay)
                                            && r.value().stats().flaggedTotal() == readings.size()))
                            .forEach(r -> last.put(r.key(), r.value()));
                    Recount.assertAggregatesMatch(last, clean);
                }
            } finally {
                if (victim != null && victim.isAlive()) {
                    victim.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Sends and waits for every acknowledgement, so that a reading the broker refused fails here, not later. */
    private static void send(KafkaProducer<String, byte[]> producer, List<Reading> readings) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Reading reading : readings) {
            acks.add(producer.send(new ProducerRecord<>(Topics.READINGS_RAW, reading.sensor(), json(reading))));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    /** {@link StreamsApp#main} in a JVM of its own, on this test's class path. */
    private Process startChild(Map<String, String> env, Path state) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), StreamsApp.class.getName());
        builder.environment().putAll(env);
        builder.environment().put("OBS_STREAMS_STATE_DIR", state.toString());
        builder.redirectErrorStream(true);
        builder.redirectOutput(state.resolve("child.log").toFile());
        return builder.start();
    }
}
