package org.soilobs.sink;

import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.CountDownLatch;
import org.soilobs.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sink as its own process: configuration from the environment, start, stop on SIGTERM. */
public final class SinkApp {

    private static final Logger LOG = LoggerFactory.getLogger(SinkApp.class);

    private SinkApp() {
    }

    public static void main(String[] args) throws Exception {
        SinkConfig config = SinkConfig.fromEnv(System.getenv());
        // the writer, partition maintenance, and one spare for a connection being replaced
        HikariDataSource pool = Database.pool(config.db(), "sink", 3);
        Database.migrate(pool, config.storage());
        Sink sink = Sink.start(config, pool);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping sink");
            sink.close();
            pool.close();
            done.countDown();
        }, "sink-shutdown"));
        done.await();
    }
}
