package org.soilobs.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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

    /** Brings the schema to the newest version; safe to call from every instance at start. */
    public static MigrateResult migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        MigrateResult result = flyway.migrate();
        LOG.info("Database schema at version {} ({} migrations applied now)",
                flyway.info().current().getVersion(), result.migrationsExecuted);
        return result;
    }
}
