package org.soilobs.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connection pools and schema migrations. */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private Database() {
    }

    /** The outcome of a migration: the layout the schema has and what Flyway did. */
    public record Migrated(StorageMode mode, MigrateResult result) {
    }

    /** Whether the database has TimescaleDB, or the server could create it; read before the first migration. */
    record TimescaleSupport(boolean installed, boolean available) {
    }

    /** A connection pool; the caller closes it. */
    public static HikariDataSource pool(DbConfig config, String name, int maxSize) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(maxSize);
        hikari.setMinimumIdle(1);
        // Fail fast at start when the database is absent, instead of hanging the caller.
        hikari.setInitializationFailTimeout(30_000);
        hikari.setConnectionTimeout(10_000);
        return new HikariDataSource(hikari);
    }

    /**
     * Brings the schema to the newest version with the storage settings of the environment; safe to call
     * from every instance at start.
     */
    public static MigrateResult migrate(DataSource dataSource) {
        return migrate(dataSource, StorageConfig.fromEnv(System.getenv())).result();
    }

    /**
     * Brings the schema to the newest version. The time layout (TimescaleDB or native partitions) is chosen
     * on the first migration, from what the server offers and {@link StorageConfig#timescale()}, and kept
     * afterwards; it is logged at every start. With TimescaleDB the retention policy is set anew.
     *
     * @throws IllegalStateException when TimescaleDB is required but cannot be used
     */
    public static Migrated migrate(DataSource dataSource, StorageConfig config) {
        LOG.info("Storage settings: {}", config);
        TimescaleSupport support;
        try {
            support = timescaleSupport(dataSource);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot inspect the database for TimescaleDB: " + e.getMessage(), e);
        }
        String unusable = null;
        if (config.timescale() == StorageConfig.Timescale.OFF) {
            unusable = "OBS_DB_TIMESCALEDB=off";
        } else if (!support.installed() && !support.available()) {
            unusable = "the server has no timescaledb extension (pg_available_extensions)";
        } else if (!support.installed()) {
            // Outside Flyway's transaction: the extension wants a statement of its own, and needs the
            // library in shared_preload_libraries and the right to create it.
            unusable = tryToCreateExtension(dataSource);
        }
        if (config.timescale() == StorageConfig.Timescale.REQUIRED && unusable != null) {
            throw new IllegalStateException("OBS_DB_TIMESCALEDB=required, but " + unusable);
        }
        boolean wanted = unusable == null;
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("timescaledb", String.valueOf(wanted)))
                .load();
        MigrateResult result = flyway.migrate();
        StorageMode mode = modeOf(dataSource);
        if (config.timescale() == StorageConfig.Timescale.REQUIRED && mode != StorageMode.TIMESCALEDB) {
            throw new IllegalStateException("OBS_DB_TIMESCALEDB=required, but the schema was first migrated with"
                    + " native partitions; migrate a fresh database to use TimescaleDB");
        }
        LOG.info("Database schema at version {} ({} migrations applied now)",
                flyway.info().current().getVersion(), result.migrationsExecuted);
        if (mode == StorageMode.TIMESCALEDB) {
            applyRetention(dataSource, config);
            LOG.info("Storage: TimescaleDB hypertables (reading on time, 1-day chunks compressed after 7 days;"
                    + " aggregate on bucket), reading retention {}", config.retention().map(Object::toString)
                    .orElse("none"));
        } else if (wanted) {
            LOG.warn("Storage: native range partitioning although TimescaleDB is usable now: the schema was first"
                    + " migrated without it and keeps its layout");
        } else {
            LOG.info("Storage: native monthly range partitions of reading, made {} months ahead by the sink;"
                    + " reading retention {} ({})", config.monthsAhead(),
                    config.retention().map(Object::toString).orElse("none"),
                    "TimescaleDB not used: " + unusable);
        }
        return new Migrated(mode, result);
    }

    /** The layout of an already migrated schema. */
    public static StorageMode modeOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT EXISTS (SELECT FROM pg_partitioned_table WHERE partrelid = 'reading'::regclass)")) {
            row.next();
            return row.getBoolean(1) ? StorageMode.NATIVE_PARTITIONS : StorageMode.TIMESCALEDB;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the storage layout: " + e.getMessage(), e);
        }
    }

    static TimescaleSupport timescaleSupport(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("""
                        SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'timescaledb'),
                               EXISTS (SELECT FROM pg_available_extensions WHERE name = 'timescaledb')
                        """)) {
            row.next();
            return new TimescaleSupport(row.getBoolean(1), row.getBoolean(2));
        }
    }

    private static void applyRetention(DataSource dataSource, StorageConfig config) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement remove = connection.createStatement()) {
                remove.execute("SELECT remove_retention_policy('reading', if_exists => true)");
            }
            if (config.retention().isPresent()) {
                try (PreparedStatement add = connection.prepareStatement(
                        "SELECT add_retention_policy('reading', drop_after => ?::interval)")) {
                    add.setString(1, config.retention().get().toString());
                    add.execute();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the retention policy of reading: " + e.getMessage(), e);
        }
    }

    /** Null when the extension now exists, else why it could not be created. */
    private static String tryToCreateExtension(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            return null;
        } catch (SQLException e) {
            return "CREATE EXTENSION timescaledb failed: " + e.getMessage();
        }
    }
}
