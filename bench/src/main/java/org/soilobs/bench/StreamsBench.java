package org.soilobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Topics;
import org.soilobs.streams.AggregateReadings;
import org.soilobs.streams.EnrichReadings;
import org.soilobs.streams.StreamsApp;
import org.soilobs.streams.StreamsSettings;

/**
 * Readings per second through the two streams topologies alone — decode check, de-duplication, enrichment,
 * quality control, then 1 h and 1 d aggregation rolled up to the world — in a {@link TopologyTestDriver} on
 * one thread, with the real (RocksDB) stores but no broker, no transactions and no network: the processing
 * cost itself. {@link StreamsLiveBench} measures the live app on a real broker.
 *
 * <p>The test driver commits after every record, so each reading's update travels up every roll-up level
 * before the next (the live app coalesces updates of one aggregate within a commit interval): for the
 * aggregation this is the worst case. Each job is timed on its own, in wall-clock and in the thread's CPU time
 * (the machine is shared); "both jobs" is what one core does running both.
 *
 * <p>Usage: {@code ./observatory bench streams [readings, default 50000] [sensors, default 2000]}: fewer
 * readings than the live benchmark, because the driver's per-record commits make the aggregate job slow.
 */
public final class StreamsBench {

    static final List<Placement> PLACES = List.of(new Placement("DEU", "155", "150"),
            new Placement("FRA", "155", "150"), new Placement("KEN", "014", "002"),
            new Placement("NGA", "011", "002"), new Placement("BRA", "005", "019"), new Placement("IND", "034", "142"));
    static final int SENSORS_PER_FIELD = 10;
    private static final int DRAIN_EVERY = 5_000;

    private StreamsBench() {
    }

    public static void main(String[] args) throws Exception {
        int readings = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int sensors = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path dir = Files.createTempDirectory("streams-bench");
        List<Field> fields = fields(sensors);
        List<Reading> raw = readings(readings, sensors, fields.size());
        List<byte[]> rawJson = new ArrayList<>(raw.size());
        for (Reading reading : raw) {
            rawJson.add(Json.mapper().writeValueAsBytes(reading));
        }
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of("OBS_STREAMS_STATE_DIR", dir.toString()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        List<TestRecord<String, byte[]>> clean = new ArrayList<>(readings);
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        try (TopologyTestDriver enrich = new TopologyTestDriver(
                EnrichReadings.build(settings.dedupRetention()), properties(settings, StreamsApp.ENRICH))) {
            TestInputTopic<String, byte[]> registry = enrich.createInputTopic(Topics.FIELDS, new StringSerializer(),
                    new ByteArraySerializer());
            for (Field field : fields) {
                registry.pipeInput(field.id(), Json.mapper().writeValueAsBytes(field));
            }
            TestInputTopic<String, byte[]> in = enrich.createInputTopic(Topics.READINGS_RAW, new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> out = enrich.createOutputTopic(Topics.READINGS_CLEAN,
                    new StringDeserializer(), new ByteArrayDeserializer());
            for (int i = 0; i < raw.size(); i++) {
                in.pipeInput(raw.get(i).sensor(), rawJson.get(i), raw.get(i).receivedAt());
            }
            clean.addAll(out.readRecordsToList());
        }
        double enrichSeconds = (System.nanoTime() - wall) / 1e9;
        double enrichCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (clean.size() != readings) {
            throw new IllegalStateException("expected " + readings + " clean readings, got " + clean.size());
        }

        long aggregates = 0;
        wall = System.nanoTime();
        cpu = threads.getCurrentThreadCpuTime();
        try (TopologyTestDriver aggregate = new TopologyTestDriver(
                AggregateReadings.build(settings.grace()), properties(settings, StreamsApp.AGGREGATE))) {
            TestInputTopic<String, byte[]> in = aggregate.createInputTopic(Topics.READINGS_CLEAN,
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = aggregate.createOutputTopic(Topics.AGGREGATES,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            for (int i = 0; i < clean.size(); i++) {
                TestRecord<String, byte[]> record = clean.get(i);
                in.pipeInput(record.key(), record.value(), record.getRecordTime());
                if (i % DRAIN_EVERY == 0) {
                    aggregates += out.getQueueSize();
                    out.readRecordsToList();
                }
            }
            aggregates += out.getQueueSize();
        }
        double aggregateSeconds = (System.nanoTime() - wall) / 1e9;
        double aggregateCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;

        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String setup = String.format("%d VWC readings of %d sensors in %d fields, TopologyTestDriver, one thread, "
                + "RocksDB stores; load average %.1f on %d cores", readings, sensors, fields.size(), load,
                Runtime.getRuntime().availableProcessors());
        BenchReport report = new BenchReport("streams");
        report.add("enrich job alone (decode, de-dup, join, QC, JSON out)", readings / enrichSeconds, "readings/s",
                String.format("%s; %.1f s wall, %.1f CPU-s", setup, enrichSeconds, enrichCpu));
        report.add("enrich job per CPU-second", readings / enrichCpu, "readings/CPU-s", "");
        report.add("aggregate job alone (1 h + 1 d, field → world)", readings / aggregateSeconds, "readings/s",
                String.format("%.1f s wall, %.1f CPU-s; %d aggregates out (no coalescing: the driver commits "
                        + "after every record)", aggregateSeconds, aggregateCpu, aggregates));
        report.add("aggregate job per CPU-second", readings / aggregateCpu, "readings/CPU-s", "");
        report.add("both jobs, one core", readings / (enrichSeconds + aggregateSeconds), "readings/s",
                String.format("per CPU-second: %.0f; aim 40 000", readings / (enrichCpu + aggregateCpu)));
        report.write();
    }

    private static Properties properties(StreamsSettings settings, String job) {
        Properties properties = settings.toProperties(job);
        properties.put("bootstrap.servers", "unused:9092");
        return properties;
    }

    /** One field per {@link #SENSORS_PER_FIELD} sensors, spread over six countries of four regions. */
    static List<Field> fields(int sensors) {
        int count = Math.max(1, sensors / SENSORS_PER_FIELD);
        List<Field> fields = new ArrayList<>(count);
        for (int f = 0; f < count; f++) {
            fields.add(new Field("F" + f, 8.5, 49.0, 1 + f % 97, "cropland", 1.3, 0.1, 30,
                    PLACES.get(f % PLACES.size())));
        }
        return fields;
    }

    /** One VWC reading per sensor and minute, a gentle daily wave, ending an hour ago: none is late or flagged. */
    static List<Reading> readings(int readings, int sensors, int fields) {
        int perSensor = Math.max(1, readings / sensors);
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(perSensor + 60L));
        List<Reading> out = new ArrayList<>(readings);
        for (int minute = 0; out.size() < readings; minute++) {
            Instant time = start.plus(Duration.ofMinutes(minute));
            for (int s = 0; s < sensors && out.size() < readings; s++) {
                double value = 0.25 + 0.03 * Math.sin((minute + s) * 2 * Math.PI / 1440);
                out.add(new Reading("gw-" + s / 50, minute, "S" + s, "F" + (s % fields), Quantity.VWC, time, value,
                        0, 30, time.plusSeconds(5)));
            }
        }
        return out;
    }
}
