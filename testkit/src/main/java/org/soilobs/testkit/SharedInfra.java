package org.soilobs.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Servers shared by every test class of one JVM (one Failsafe run): each is started on first use
 * and stopped, with its temporary data directory deleted, when the JVM exits.
 *
 * <p>Tests that share a server must not depend on its being empty: use topic names, MQTT client
 * ids and table names of their own. PostgreSQL runs non-durable here ({@code fsync=off}), which is
 * fine for data that is deleted at exit anyway. Tests that need a server of their own (restarts,
 * special ports) start one directly.
 */
public final class SharedInfra {

    private static final Logger LOG = LoggerFactory.getLogger(SharedInfra.class);

    private static Path root;
    private static EmbeddedKafka kafka;
    private static EmbeddedMqttBroker mqtt;
    private static EmbeddedPostgres postgres;
    private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();

    private SharedInfra() {
    }

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = started(EmbeddedKafka.start(dir("kafka")));
        }
        return kafka;
    }

    public static synchronized EmbeddedMqttBroker mqtt() {
        if (mqtt == null) {
            mqtt = started(EmbeddedMqttBroker.start(dir("mqtt")));
        }
        return mqtt;
    }

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            postgres = started(EmbeddedPostgres.builder(dir("postgres")).durable(false).start());
        }
        return postgres;
    }

    private static <T extends AutoCloseable> T started(T server) {
        STARTED.push(server);
        return server;
    }

    private static Path dir(String name) {
        if (root == null) {
            try {
                root = Files.createTempDirectory("soilobs-infra-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for the shared servers", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SharedInfra::stopAll, "soilobs-shared-infra-stop"));
            LOG.info("Shared test servers keep their data in {} until the JVM exits", root);
        }
        return root.resolve(name);
    }

    private static synchronized void stopAll() {
        while (!STARTED.isEmpty()) {
            AutoCloseable server = STARTED.pop();
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("Could not stop {}: {}", server.getClass().getSimpleName(), e.toString());
            }
        }
        deleteRecursively(root);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }
}
