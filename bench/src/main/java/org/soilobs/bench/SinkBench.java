package org.soilobs.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Json;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Topics;
import org.soilobs.sink.PgBinaryRows;
import org.soilobs.sink.Sink;
import org.soilobs.sink.SinkConfig;
import org.soilobs.storage.Database;
import org.soilobs.storage.DbConfig;
import org.soilobs.storage.PartitionMaintenance;
import org.soilobs.storage.StorageConfig;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedPostgres;

/**
 * The sink's write rate next to its ceiling, in the same run on the same servers: readings go into the
 * empty {@code reading} table (a) by raw binary {@code COPY} of pre-encoded rows straight into the table, in
 * transactions of the sink's batch size, and (b) through the sink, from Kafka (read_committed, JSON
 * decoding, COPY into staging, {@code INSERT … ON CONFLICT}, offset commit). The sink is timed from its first
 * to its last written reading, so that start-up and the consumer group's join are left out.
 *
 * <p>Arguments: {@code [readings (default 200000)] [batch (default 5000)]}.
 */
public final class SinkBench {

    private static final Placement FRANCE = new Placement("FRA", "155", "150");
    private static final int COLUMNS = 14;

    private SinkBench() {
    }

    public static void main(String[] args) throws Exception {
        int readings = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        Path dir = Files.createTempDirectory("sink-bench");
        BenchReport report = new BenchReport("sink");
        System.out.println("Sink benchmark: " + readings + " readings, batches of " + batch + "; " + BenchReport.machine());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
                EmbeddedPostgres postgres = EmbeddedPostgres.start(dir.resolve("pg"))) {
            kafka.createTopics(List.of(
                    new NewTopic(Topics.READINGS_CLEAN, 3, (short) 1),
                    new NewTopic(Topics.AGGREGATES, 3, (short) 1),
                    new NewTopic(Topics.FIELDS, 1, (short) 1),
                    new NewTopic(Topics.SENSORS, 1, (short) 1)));
            DbConfig db = new DbConfig(postgres.jdbcUrl(), postgres.user(), postgres.password());
            StorageConfig storage = StorageConfig.defaults();
            List<EnrichedReading> data = readings(readings,
                    Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS));
            try (var pool = Database.pool(db, "sink-bench", 4)) {
                Database.migrate(pool, storage);
                new PartitionMaintenance(pool, storage).run();
                produce(kafka, data);

                rawCopy(pool, data, batch);
                truncate(pool);
                double raw = rawCopy(pool, data, batch);
                report.add("raw binary COPY into reading", raw, "rows/s",
                        "pre-encoded rows, COPY reading FROM STDIN (FORMAT binary), one transaction per " + batch
                                + " rows; second of two runs");
                truncate(pool);

                double sink = throughSink(kafka, db, storage, pool, readings, batch);
                report.add("sink, Kafka to reading", sink, "rows/s", "read_committed, JSON, COPY to staging,"
                        + " INSERT … ON CONFLICT DO NOTHING, offsets after commit; max batch " + batch);
                report.add("sink / raw COPY", 100 * sink / raw, "%", "aim ≥ 70 %; both on the same servers in the same run");
                long stored = count(pool);
                if (stored != readings) {
                    throw new IllegalStateException("the sink stored " + stored + " of " + readings + " readings");
                }
            }
        }
        report.write();
    }

    /** {@code n} readings of 2 000 sensors, one a second each from {@code start}. */
    static List<EnrichedReading> readings(int n, Instant start) {
        List<EnrichedReading> data = new ArrayList<>(n);
        Quantity[] quantities = {Quantity.VWC, Quantity.SOIL_TEMPERATURE, Quantity.EC};
        for (int i = 0; i < n; i++) {
            int sensor = i % 2_000;
            Quantity quantity = quantities[i % quantities.length];
            Instant time = start.plusMillis(1_000L * (i / 2_000) + i % 1000);
            double value = quantity == Quantity.SOIL_TEMPERATURE ? 12.5 + (i % 100) / 10.0 : (i % 400) / 1000.0;
            Reading reading = new Reading("gw-" + sensor / 10, i, "s-" + sensor, "f-" + sensor / 4, quantity, time,
                    value, 0, 10, time.plusMillis(800));
            data.add(new EnrichedReading(reading, FRANCE, 4.0, List.of("G")));
        }
        return data;
    }

    private static void produce(EmbeddedKafka kafka, List<EnrichedReading> data) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sink-bench");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            for (int from = 0; from < data.size(); from += 50_000) {
                producer.beginTransaction();
                for (EnrichedReading reading : data.subList(from, Math.min(data.size(), from + 50_000))) {
                    producer.send(new ProducerRecord<>(Topics.READINGS_CLEAN,
                            reading.reading().sensor().getBytes(StandardCharsets.UTF_8),
                            Json.mapper().writeValueAsBytes(reading)));
                }
                producer.commitTransaction();
            }
        }
    }

    /** Rows per second of COPY straight into reading, the encoding done beforehand. */
    static double rawCopy(DataSource dataSource, List<EnrichedReading> data, int batch) throws SQLException {
        List<PgBinaryRows> chunks = new ArrayList<>();
        for (int from = 0; from < data.size(); from += batch) {
            PgBinaryRows rows = new PgBinaryRows();
            for (EnrichedReading enriched : data.subList(from, Math.min(data.size(), from + batch))) {
                Reading reading = enriched.reading();
                rows.row(COLUMNS).timestamptz(reading.time()).text(reading.sensor()).text(reading.quantity().id())
                        .float8(reading.value()).text(reading.field()).text(enriched.placement().country())
                        .text(enriched.placement().subregion()).text(enriched.placement().region())
                        .int2(reading.depthTopCm()).int2(reading.depthBottomCm()).textArray(enriched.flags())
                        .text(reading.gateway()).int8(reading.seq()).timestamptz(reading.receivedAt());
            }
            chunks.add(rows.finish());
        }
        long began = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (PgBinaryRows rows : chunks) {
                CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                        COPY reading (time, sensor, quantity, value, field, country, subregion, region, depth_top_cm,
                                      depth_bottom_cm, flags, gateway, seq, received_at) FROM STDIN (FORMAT binary)""");
                copy.writeToCopy(rows.array(), 0, rows.length());
                copy.endCopy();
                connection.commit();
            }
        }
        return data.size() / seconds(began);
    }

    private static double throughSink(EmbeddedKafka kafka, DbConfig db, StorageConfig storage, DataSource pool,
            int readings, int batch) throws Exception {
        SinkConfig config = new SinkConfig(kafka.bootstrapServers(), "sink-bench", db, Duration.ofMillis(250), batch,
                storage, java.util.Optional.empty());
        try (Sink sink = Sink.start(config, pool)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (sink.readingsWritten() == 0) {
                check(deadline);
                Thread.sleep(1);
            }
            long first = sink.readingsWritten();
            long began = System.nanoTime();
            while (sink.readingsWritten() < readings) {
                check(deadline);
                Thread.sleep(1);
            }
            double rate = (readings - first) / seconds(began);
            System.out.printf(Locale.ROOT, "  sink timed over %d readings after its first batch of %d%n",
                    readings - first, first);
            return rate;
        }
    }

    private static void check(long deadline) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the sink did not store every reading within 10 minutes");
        }
    }

    private static double seconds(long began) {
        return (System.nanoTime() - began) / 1e9;
    }

    static void truncate(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE reading");
            statement.execute("VACUUM ANALYZE reading");
        }
    }

    private static long count(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM reading")) {
            row.next();
            return row.getLong(1);
        }
    }
}
