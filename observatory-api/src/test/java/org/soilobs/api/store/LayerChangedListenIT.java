package org.soilobs.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.soilobs.api.ApiFixture;
import org.soilobs.model.Level;

/**
 * The layer versions follow the sink's {@code NOTIFY layer_changed} on a real PostgreSQL: with polling
 * slowed to once an hour, only the notification can tell of a change. When the listening connection is
 * killed, a new one listens and re-reads the table, so a change made meanwhile is not missed; without
 * any listening connection the table is polled.
 */
class LayerChangedListenIT {

    private static final String SCHEMA = "listen_it";
    private static final String APPLICATION = "listen-it";
    private static final Duration NEVER = Duration.ofHours(1);

    @RegisterExtension
    static final ApiFixture FIXTURE = new ApiFixture(SCHEMA, 2);

    private static Connection listenConnection() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", FIXTURE.db().user());
        props.setProperty("password", FIXTURE.db().password());
        props.setProperty("ApplicationName", APPLICATION);
        return DriverManager.getConnection(FIXTURE.db().url(), props);
    }

    /** Bumps a level as the sink does: the version and the notification in one transaction. */
    private static void bump(Level level, boolean notify) throws SQLException {
        try (Connection connection = FIXTURE.pool().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE layer_version SET version = version + 1 WHERE level = '" + level.id() + "'");
            if (notify) {
                statement.execute("SELECT pg_notify('layer_changed', '" + level.id() + "')");
            }
        }
    }

    private static void awaitListening(LiveLayerVersions versions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!versions.listening() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(versions.listening()).as("listening within 60 s").isTrue();
    }

    @Test
    void hearsACommittedChangeWithoutPolling() throws Exception {
        try (LiveLayerVersions versions = new LiveLayerVersions(FIXTURE.pool(), NEVER, NEVER,
                LayerChangedListenIT::listenConnection)) {
            BlockingQueue<Map<Level, Long>> changes = new LinkedBlockingQueue<>();
            versions.onChange(changes::add);
            awaitListening(versions);
            long before = versions.current(Level.REGION);

            bump(Level.REGION, true);

            Map<Level, Long> change = changes.poll(60, TimeUnit.SECONDS);
            assertThat(change).containsEntry(Level.REGION, before + 1);
            assertThat(versions.current(Level.REGION)).isEqualTo(before + 1);
        }
    }

    @Test
    void aDroppedListenerListensAgainAndMissesNothing() throws Exception {
        try (LiveLayerVersions versions = new LiveLayerVersions(FIXTURE.pool(), NEVER, NEVER,
                LayerChangedListenIT::listenConnection)) {
            BlockingQueue<Map<Level, Long>> changes = new LinkedBlockingQueue<>();
            versions.onChange(changes::add);
            awaitListening(versions);
            long before = versions.current(Level.SUBREGION);

            // Never notified: only the new listener's first read can find it.
            bump(Level.SUBREGION, false);
            try (Connection connection = FIXTURE.pool().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                        + APPLICATION + "'");
            }

            Map<Level, Long> change = changes.poll(60, TimeUnit.SECONDS);
            assertThat(change).containsEntry(Level.SUBREGION, before + 1);
            awaitListening(versions);
        }
    }

    @Test
    void withoutAListenerTheTableIsPolled() throws Exception {
        try (LiveLayerVersions versions = new LiveLayerVersions(FIXTURE.pool(), Duration.ofMillis(50), NEVER, () -> {
            throw new SQLException("no listening connection in this test");
        })) {
            BlockingQueue<Map<Level, Long>> changes = new LinkedBlockingQueue<>();
            versions.onChange(changes::add);
            long before = versions.current(Level.WORLD);

            bump(Level.WORLD, false);

            Map<Level, Long> change = changes.poll(60, TimeUnit.SECONDS);
            assertThat(change).containsEntry(Level.WORLD, before + 1);
            assertThat(versions.listening()).isFalse();
        }
    }
}
