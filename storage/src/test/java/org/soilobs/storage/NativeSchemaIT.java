package org.soilobs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.testkit.EmbeddedPostgres;

/** The schema on plain PostgreSQL: native monthly partitions made ahead of time. */
class NativeSchemaIT extends SchemaContract {

    private static final StorageConfig NATIVE = new StorageConfig(StorageConfig.Timescale.OFF,
            Optional.of(Duration.ofDays(365)), 3);

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;
    private static Database.Migrated migrated;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder(Files.createTempDirectory("schema-it").resolve("pg")).durable(false).start();
        dataSource = postgres.dataSource();
        migrated = Database.migrate(dataSource, NATIVE);
        // as the sink does at start, before any reading arrives
        new PartitionMaintenance(dataSource, NATIVE).run();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Test
    void laysReadingsOutInNativePartitions() {
        assertThat(migrated.mode()).isEqualTo(StorageMode.NATIVE_PARTITIONS);
        assertThat(Database.modeOf(dataSource)).isEqualTo(StorageMode.NATIVE_PARTITIONS);
    }

    @Test
    void migratingAgainChangesNothing() {
        Database.Migrated again = Database.migrate(dataSource, NATIVE);
        assertThat(again.result().migrationsExecuted).isZero();
        assertThat(again.mode()).isEqualTo(StorageMode.NATIVE_PARTITIONS);
    }

    @Test
    void makesPartitionsFromLastMonthToMonthsAheadSoThatLiveReadingsMissTheDefault() throws SQLException {
        assertThat(new PartitionMaintenance(dataSource, NATIVE).run().created()).isZero();
        for (int month = -1; month <= NATIVE.monthsAhead(); month++) {
            String name = "reading_' || to_char(date_trunc('month', now()) + interval '" + month + " months', 'YYYY_MM')";
            assertThat(longOf("SELECT count(*) FROM pg_class WHERE relname = '" + name)).as("month %d", month)
                    .isEqualTo(1);
        }
        execute("""
                INSERT INTO reading (time, sensor, quantity, value, field, country, subregion, region, depth_top_cm,
                                     depth_bottom_cm, flags, gateway, seq, received_at)
                VALUES (now(), 'native-live', 'vwc', 0.3, 'f', 'FRA', '155', '150', 0, 10, '{G}', 'gw', 1, now())""");
        assertThat(longOf("SELECT count(*) FROM ONLY reading_default WHERE sensor = 'native-live'")).isZero();
        assertThat(longOf("SELECT count(*) FROM reading WHERE sensor = 'native-live'")).isEqualTo(1);
    }

    @Test
    void dropsPartitionsWhollyOlderThanTheRetention() throws SQLException {
        execute("SELECT ensure_reading_partitions((date_trunc('month', now()) - interval '30 months')::date, 1)");
        String old = "to_char(date_trunc('month', now()) - interval '30 months', 'YYYY_MM')";
        assertThat(longOf("SELECT count(*) FROM pg_class WHERE relname = 'reading_' || " + old)).isEqualTo(1);

        PartitionMaintenance.Outcome outcome = new PartitionMaintenance(dataSource, NATIVE).run();

        assertThat(outcome.dropped()).isEqualTo(1);
        assertThat(longOf("SELECT count(*) FROM pg_class WHERE relname = 'reading_' || " + old)).isZero();
        assertThat(longOf("SELECT count(*) FROM pg_class WHERE relname = 'reading_' || "
                + "to_char(date_trunc('month', now()) - interval '1 month', 'YYYY_MM')")).isEqualTo(1);
    }

    @Test
    void refusesToStartWhenTimescaleIsRequiredButAbsent() throws SQLException {
        Database.TimescaleSupport support = Database.timescaleSupport(dataSource);
        org.junit.jupiter.api.Assumptions.assumeFalse(support.available(), "the timescaledb extension is available on this server");
        StorageConfig required = new StorageConfig(StorageConfig.Timescale.REQUIRED, Optional.empty(), 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Database.migrate(dataSource, required))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OBS_DB_TIMESCALEDB=required").hasMessageContaining("timescaledb");
    }
}
