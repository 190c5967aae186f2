package org.soilobs.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.soilobs.testkit.EmbeddedPostgres;

/**
 * The schema on TimescaleDB: hypertables, compression and retention policies. Runs where the server has
 * the {@code timescaledb} extension (Debian package {@code timescaledb-2-postgresql-<major>}); skipped with
 * the reason otherwise. The extension is preloaded and created by the superuser, as an administrator
 * would in production.
 */
class TimescaleSchemaIT extends SchemaContract {

    private static final StorageConfig TIMESCALE = new StorageConfig(StorageConfig.Timescale.REQUIRED,
            Optional.of(Duration.ofDays(400)), 3);

    private static Path pgdata;
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;
    private static Database.Migrated migrated;
    private static String missing;

    @BeforeAll
    static void start() throws Exception {
        pgdata = Files.createTempDirectory("timescale-it").resolve("pg");
        postgres = EmbeddedPostgres.builder(pgdata).durable(false).start();
        Database.TimescaleSupport support = Database.timescaleSupport(postgres.dataSource());
        if (!support.available()) {
            postgres.close();
            postgres = null;
            missing = "TimescaleDB schema tests skipped: the PostgreSQL server has no 'timescaledb' extension"
                    + " (pg_available_extensions); install timescaledb-2-postgresql-<major> to run them";
            return;
        }
        int port = postgres.port();
        postgres.close();
        // ALTER SYSTEM's file: read at start, and written by nobody else in a test cluster.
        Files.writeString(pgdata.resolve("postgresql.auto.conf"), "shared_preload_libraries = 'timescaledb'\n"
                + "timescaledb.telemetry_level = 'off'\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        postgres = EmbeddedPostgres.builder(pgdata).port(port).durable(false).start();
        createExtensionAsSuperuser(port);
        dataSource = postgres.dataSource();
        migrated = Database.migrate(dataSource, TIMESCALE);
    }

    /** Every test, so that each is reported as skipped with the reason rather than silently absent. */
    @BeforeEach
    void requireTimescale() {
        assumeTrue(missing == null, missing);
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
    void makesHypertablesOfReadingsAndAggregates() throws SQLException {
        assertThat(migrated.mode()).isEqualTo(StorageMode.TIMESCALEDB);
        assertThat(longOf("""
                SELECT count(*) FROM timescaledb_information.dimensions
                WHERE (hypertable_name, column_name) IN (('reading', 'time'), ('aggregate', 'bucket'))""")).isEqualTo(2);
        assertThat(longOf("SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_name = 'reading'"
                + " AND compression_enabled")).isEqualTo(1);
    }

    @Test
    void compressesReadingsAfterSevenDaysBySensorAndQuantity() throws SQLException {
        assertThat(longOf("""
                SELECT count(*) FROM timescaledb_information.jobs
                WHERE proc_name = 'policy_compression' AND hypertable_name = 'reading'
                  AND (config ->> 'compress_after')::interval = interval '7 days'""")).isEqualTo(1);
        // TimescaleDB 2.14 replaced compression_settings (one row per column) by hypertable_compression_settings
        boolean newView = longOf("SELECT count(*) FROM pg_views WHERE schemaname = 'timescaledb_information'"
                + " AND viewname = 'hypertable_compression_settings'") == 1;
        if (newView) {
            assertThat(longOf("""
                    SELECT count(*) FROM timescaledb_information.hypertable_compression_settings
                    WHERE hypertable = 'reading'::regclass AND segmentby ~ 'sensor' AND segmentby ~ 'quantity'
                      AND orderby ~ 'time'""")).isEqualTo(1);
        } else {
            assertThat(longOf("""
                    SELECT count(*) FROM timescaledb_information.compression_settings
                    WHERE hypertable_name = 'reading' AND attname IN ('sensor', 'quantity')
                      AND segmentby_column_index IS NOT NULL""")).isEqualTo(2);
            assertThat(longOf("""
                    SELECT count(*) FROM timescaledb_information.compression_settings
                    WHERE hypertable_name = 'reading' AND attname = 'time' AND orderby_column_index = 1
                      AND NOT orderby_asc""")).isEqualTo(1);
        }
    }

    @Test
    void dropsReadingsOlderThanTheConfiguredRetention() throws SQLException {
        assertThat(longOf("""
                SELECT count(*) FROM timescaledb_information.jobs
                WHERE proc_name = 'policy_retention' AND hypertable_name = 'reading'
                  AND (config ->> 'drop_after')::interval = interval '400 days'""")).isEqualTo(1);
        StorageConfig shorter = new StorageConfig(StorageConfig.Timescale.REQUIRED, Optional.of(Duration.ofDays(90)), 3);
        Database.migrate(dataSource, shorter);
        assertThat(longOf("""
                SELECT count(*) FROM timescaledb_information.jobs
                WHERE proc_name = 'policy_retention' AND hypertable_name = 'reading'"""))
                .isEqualTo(1);
        assertThat(longOf("""
                SELECT count(*) FROM timescaledb_information.jobs
                WHERE proc_name = 'policy_retention' AND hypertable_name = 'reading'
                  AND (config ->> 'drop_after')::interval = interval '90 days'""")).isEqualTo(1);
        Database.migrate(dataSource, TIMESCALE);
    }

    @Test
    void needsNoPartitionsMadeAhead() throws SQLException {
        assertThat(new PartitionMaintenance(dataSource, TIMESCALE).run()).isEqualTo(new PartitionMaintenance.Outcome(0, 0));
    }

    private static void createExtensionAsSuperuser(int port) throws IOException, InterruptedException {
        Path psql = Path.of("/usr/lib/postgresql", Files.readString(pgdata.resolve("PG_VERSION")).strip(), "bin", "psql");
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(psql.toString(), "-X", "-v", "ON_ERROR_STOP=1", "-h", pgdata.resolve("socket").toString(),
                "-p", String.valueOf(port), "-U", "postgres", "-d", EmbeddedPostgres.DATABASE,
                "-c", "CREATE EXTENSION IF NOT EXISTS timescaledb"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("psql finished").isTrue();
        assertThat(process.exitValue()).as("CREATE EXTENSION timescaledb: %s", output).isZero();
    }
}
