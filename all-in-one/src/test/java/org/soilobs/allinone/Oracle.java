package org.soilobs.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Rejection;
import org.soilobs.model.Resolution;
import org.soilobs.model.Topics;
import org.soilobs.sim.PublishedReading;

/**
 * DESIGN §2's oracle, shared by the end-to-end test and the fault suite ({@code faults} uses this module's
 * test jar): every reading of a PUBACKed message is, within a bounded time, in the database or in the
 * dead-letter topic exactly once, and every aggregate at every level equals a recomputation from the
 * stored good readings — done here independently of the streams code: the statistics from the readings
 * stored with the flags exactly {@code {G}}, the flag counts from every stored reading's flags. The carbon
 * job's derived {@code soc_stock} aggregates are not recounted from readings, so they are left out.
 *
 * <p>"Exactly once" in the dead-letter topic is counted per distinct dead letter (the original message's
 * bytes, the reading's index and the reason): a message the broker redelivers after a fault is
 * dead-lettered again by ingest, as the readings it forwards again are removed by streams and by the
 * database's key. {@link DeadLetters#repeats()} tells how many such repeats there were; a run without
 * faults asserts there were none.
 */
public final class Oracle {

    /** How long the observatory may take to converge after the last publish. */
    public static final Duration CONVERGENCE = Duration.ofMinutes(3);

    private final DataSource database;
    private final String kafkaBootstrap;
    private final Map<String, Field> fields;

    /** What the oracle saw, for the fault matrix. */
    public record Result(int storedReadings, int deadLetters, long duplicateDeadLetters, int aggregates) {
    }

    /**
     * Ingest's dead letters counted once per distinct letter, by reason; how many letters repeated one
     * already counted; how many streams wrote (source {@code streams}, not counted by reason).
     */
    public record DeadLetters(Map<String, Long> byReason, int distinct, long repeats, long fromStreams) {
    }

    public Oracle(DataSource database, String kafkaBootstrap, List<Field> fields) {
        this.database = database;
        this.kafkaBootstrap = kafkaBootstrap;
        this.fields = fields.stream().collect(Collectors.toMap(Field::id, f -> f));
    }

    /** Asserts the whole oracle over every reading published so far (all PUBACKed). */
    public Result check(List<PublishedReading> published) throws Exception {
        List<PublishedReading> valid = published.stream().filter(r -> r.expectedRejectReason() == null).toList();
        List<PublishedReading> invalid = published.stream().filter(r -> r.expectedRejectReason() != null).toList();
        Map<String, List<String>> storedFlags = assertStoredExactlyOnce(valid);
        DeadLetters deadLetters = assertDeadLetteredOnce(invalid);
        Set<String> aggregates = assertAggregates(valid, storedFlags);
        return new Result(storedFlags.size(), deadLetters.distinct(), deadLetters.repeats(), aggregates.size());
    }

    /**
     * Asserts that the stored readings are exactly the {@code valid} ones, none twice.
     *
     * @return identity (sensor|quantity|time) → the flags each was stored with
     */
    public Map<String, List<String>> assertStoredExactlyOnce(List<PublishedReading> valid) throws Exception {
        Set<String> validIdentities = valid.stream().map(PublishedReading::identity).collect(Collectors.toSet());
        assertThat(validIdentities).as("the published valid readings are distinct").hasSameSizeAs(valid);

        await(() -> count("SELECT count(*) FROM reading") >= valid.size());
        Map<String, List<String>> storedFlags = readStoredFlags();
        assertThat(storedFlags.keySet()).as("stored readings are exactly the PUBACKed valid ones")
                .isEqualTo(validIdentities);
        assertThat(count("SELECT count(*) FROM reading")).as("no reading stored twice").isEqualTo(valid.size());
        return storedFlags;
    }

    /** Asserts that ingest dead-lettered exactly the {@code invalid} readings, each once, for the expected reason. */
    public DeadLetters assertDeadLetteredOnce(List<PublishedReading> invalid) throws Exception {
        Map<String, Long> expectedReasons = invalid.stream().collect(Collectors.groupingBy(
                PublishedReading::expectedRejectReason, TreeMap::new, Collectors.counting()));
        DeadLetters deadLetters = readDeadLetters(invalid.size());
        assertThat(deadLetters.byReason()).as("dead letters by reason, each once").isEqualTo(expectedReasons);
        return deadLetters;
    }

    /**
     * Asserts that every aggregate at every level equals the reference recomputed from the {@code valid}
     * readings and the flags they were stored with, waiting for the counts to converge first.
     *
     * @return the aggregates' keys (level|area|quantity|resolution|bucket)
     */
    public Set<String> assertAggregates(List<PublishedReading> valid, Map<String, List<String>> storedFlags)
            throws Exception {
        Map<String, Expected> reference = reference(valid, storedFlags);
        Map<String, Stored> stored = readAggregates();
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (!countsMatch(stored, reference) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            stored = readAggregates();
        }
        assertThat(stored.keySet()).as("aggregate keys").isEqualTo(reference.keySet());
        for (Map.Entry<String, Expected> entry : reference.entrySet()) {
            String key = entry.getKey();
            Expected want = entry.getValue();
            Stored got = stored.get(key);
            assertThat(got.count()).as("count of %s", key).isEqualTo(want.count());
            assertThat(got.flags()).as("flag counts of %s", key).isEqualTo(want.flags());
            assertThat(got.members()).as("members of %s", key).isEqualTo(want.members());
            assertThat(got.min()).as("min of %s", key).isEqualTo(want.min());
            assertThat(got.max()).as("max of %s", key).isEqualTo(want.max());
            if (want.count() > 0) {
                assertThat(got.sum() / got.count()).as("mean of %s", key).isCloseTo(want.mean(), within(1e-9));
                assertThat(got.areaWeightedSum() / got.areaHa()).as("area-weighted mean of %s", key)
                        .isCloseTo(want.areaWeightedMean(), within(1e-9));
            }
        }
        return stored.keySet();
    }

    /**
     * A consumer of the dead-letter topic, read committed, assigned every partition from the beginning;
     * the caller closes it.
     */
    public static KafkaConsumer<byte[], byte[]> deadLetterConsumer(String kafkaBootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.READINGS_REJECTED).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Reads the dead-letter topic until caught up with at least {@code expected} distinct letters of ingest's. */
    private DeadLetters readDeadLetters(int expected) throws Exception {
        Set<String> distinct = new HashSet<>();
        Map<String, Long> byReason = new TreeMap<>();
        long total = 0;
        long fromStreams = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = deadLetterConsumer(kafkaBootstrap)) {
            Set<TopicPartition> partitions = consumer.assignment();
            long deadline = System.nanoTime() + CONVERGENCE.toNanos();
            boolean caughtUp = false;
            while (System.nanoTime() < deadline && !(caughtUp && distinct.size() >= expected)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Rejection rejection = Json.mapper().readValue(record.value(), Rejection.class);
                    if ("streams".equals(rejection.source())) {
                        fromStreams++;
                    } else {
                        total++;
                        if (distinct.add(rejection.payloadBase64() + '|' + rejection.index() + '|' + rejection.reason())) {
                            byReason.merge(rejection.reason(), 1L, Long::sum);
                        }
                    }
                }
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                caughtUp = partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            }
        }
        return new DeadLetters(byReason, distinct.size(), total - distinct.size(), fromStreams);
    }

    private Map<String, List<String>> readStoredFlags() throws SQLException {
        Map<String, List<String>> flags = new HashMap<>();
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT sensor, quantity, time, flags FROM reading")) {
            while (result.next()) {
                // identity (sensor|quantity|time), as PublishedReading.identity() spells it
                flags.put(result.getString(1) + '|' + result.getString(2) + '|' + result.getTimestamp(3).toInstant(),
                        List.of((String[]) result.getArray(4).getArray()));
            }
        }
        return flags;
    }

    private Map<String, Stored> readAggregates() throws SQLException {
        Map<String, Stored> rows = new HashMap<>();
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("""
                        SELECT level, area, quantity, resolution, bucket, count, sum, min, max, area_ha,
                               area_weighted_sum, members, flags::text
                        FROM aggregate
                        WHERE quantity <> 'soc_stock' -- derived by the carbon job, not recounted from readings
                        """)) {
            while (result.next()) {
                String key = key(result.getString(1), result.getString(2), result.getString(3), result.getString(4),
                        result.getTimestamp(5).toInstant());
                rows.put(key, new Stored(result.getLong(6), result.getDouble(7), result.getObject(8, Double.class),
                        result.getObject(9, Double.class), result.getDouble(10), result.getDouble(11), result.getInt(12),
                        Json.mapper().readValue(result.getString(13), FLAG_COUNTS)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("aggregate flags are not a JSON object of counts", e);
        }
        return rows;
    }

    /** The single number {@code sql} counts; -1 while the database is away (it may be restarting). */
    public long count(String sql) {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            // While the database restarts, a count is simply not there yet.
            return -1;
        }
    }

    /** Waits until {@code condition} holds or {@link #CONVERGENCE} has passed; the caller asserts. */
    public static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    private static boolean countsMatch(Map<String, Stored> stored, Map<String, Expected> reference) {
        return stored.keySet().equals(reference.keySet()) && reference.entrySet().stream().allMatch(entry -> {
            Stored got = stored.get(entry.getKey());
            return got.count() == entry.getValue().count() && got.members() == entry.getValue().members()
                    && got.flags().equals(entry.getValue().flags());
        });
    }

    private static final TypeReference<TreeMap<String, Long>> FLAG_COUNTS = new TypeReference<>() {
    };

    /** {@code min} and {@code max} are null without good readings. */
    record Stored(long count, double sum, Double min, Double max, double areaHa, double areaWeightedSum,
            int members, Map<String, Long> flags) {
    }

    /** {@code min} and {@code max} are null, the means NaN, without good readings. */
    record Expected(long count, double mean, Double min, Double max, double areaWeightedMean, int members,
            Map<String, Long> flags) {
    }

    static String key(String level, String area, String quantity, String resolution, Instant bucket) {
        return String.join("|", level, area, quantity, resolution, bucket.toString());
    }

    /**
     * The reference, the plain way: the valid readings grouped by area and bucket at every level, from each
     * field's registration; every reading counts its stored flags and makes its child a member; only those
     * stored with flags exactly {@code {G}} enter the statistics.
     */
    private Map<String, Expected> reference(List<PublishedReading> readings, Map<String, List<String>> storedFlags) {
        // (level|area|quantity|resolution|bucket) → field id → that field's good readings in the bucket
        Map<String, Map<String, List<Double>>> byAreaAndField = new TreeMap<>();
        Map<String, Map<String, String>> childOf = new HashMap<>();
        Map<String, Map<String, Long>> flagCounts = new HashMap<>();
        for (PublishedReading reading : readings) {
            Field field = fields.get(reading.field());
            List<String> flags = storedFlags.get(reading.identity());
            boolean good = flags.equals(List.of("G"));
            for (Resolution resolution : Resolution.values()) {
                Instant bucket = resolution.bucketOf(reading.time());
                for (Level level : Level.values()) {
                    String area = level == Level.FIELD ? field.id() : field.placement().codeAt(level);
                    String key = key(level.id(), area, reading.quantity(), resolution.id(), bucket);
                    Map<String, List<Double>> perField = byAreaAndField.computeIfAbsent(key, k -> new TreeMap<>());
                    if (good) {
                        perField.computeIfAbsent(field.id(), k -> new ArrayList<>()).add(reading.value());
                    }
                    childOf.computeIfAbsent(key, k -> new HashMap<>()).put(field.id(), child(level, field));
                    flags.forEach(flag -> flagCounts.computeIfAbsent(key, k -> new TreeMap<>()).merge(flag, 1L, Long::sum));
                }
            }
        }
        Map<String, Expected> expected = new TreeMap<>();
        byAreaAndField.forEach((key, perField) -> {
            List<Double> all = perField.values().stream().flatMap(List::stream).toList();
            double weighted = 0;
            double area = 0;
            for (Map.Entry<String, List<Double>> entry : perField.entrySet()) {
                double fieldArea = fields.get(entry.getKey()).areaHa();
                weighted += fieldArea * entry.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                area += fieldArea;
            }
            int members = (int) childOf.get(key).values().stream().distinct().count();
            expected.put(key, new Expected(all.size(),
                    all.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                    all.stream().mapToDouble(Double::doubleValue).boxed().min(Double::compare).orElse(null),
                    all.stream().mapToDouble(Double::doubleValue).boxed().max(Double::compare).orElse(null),
                    weighted / area, members, flagCounts.get(key)));
        });
        return expected;
    }

    /** The member of an area at {@code level} that a field belongs to: the level just below. */
    private static String child(Level level, Field field) {
        return switch (level) {
            case FIELD, COUNTRY -> field.id();
            case SUBREGION -> field.placement().country();
            case REGION -> field.placement().subregion();
            case WORLD -> field.placement().region();
        };
    }
}
