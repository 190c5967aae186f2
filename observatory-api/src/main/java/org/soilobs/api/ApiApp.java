package org.soilobs.api;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.api.ops.JvmMeters;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.Database;

/**
 * Runs the observatory API on its own: configuration from the environment, a connection pool, schema
 * migration, then the server until SIGTERM or Ctrl-C, which stop it cleanly.
 */
public final class ApiApp {

    /** The API's own logging configuration, used unless {@code logback.configurationFile} names another. */
    static final String LOGBACK_CONFIGURATION = "observatory-api-logback.xml";

    private ApiApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
        }
        Logger log = LoggerFactory.getLogger(ApiApp.class);
        ApiConfig config;
        try {
            config = ApiConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("Invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        log.info("Starting with {}", config);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters jvm = JvmMeters.bindTo(registry);
        HikariDataSource pool = null;
        ObservatoryApi api;
        try {
            ReferenceData reference = ReferenceData.load();
            pool = Database.pool(config.db(), "observatory-api", config.dbPoolSize());
            pool.setMetricRegistry(registry);
            Database.migrate(pool);
            api = ObservatoryApi.start(config, pool, reference, registry, Clock.systemUTC());
        } catch (RuntimeException e) {
            log.error("Cannot start the observatory API", e);
            if (pool != null) {
                pool.close();
            }
            System.exit(1);
            return;
        }
        HikariDataSource startedPool = pool;

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down");
            try {
                api.close();
            } finally {
                startedPool.close();
                jvm.close();
                registry.close();
                stopped.countDown();
            }
        }, "observatory-api-shutdown"));
        stopped.await();
    }
}
