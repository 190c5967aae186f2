package org.soilobs.api.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.model.Level;

/**
 * The layer versions kept in memory and refreshed by one background reader of table
 * {@code layer_version}, shared by every request: a poll answered 304 then costs no database query,
 * whatever the number of clients. A tag may lag the table by one {@code interval}; it is never ahead of
 * it, so a body rendered after reading the version is never older than its tag.
 *
 * <p>{@link #latest} reads the table (and shares what it read with the pollers); a body is rendered at
 * that version.
 *
 * <p>Until the first successful read the table is asked directly, so that a database that is down at
 * start answers 503 rather than a made-up version 0. Afterwards a failing read keeps the last versions
 * (304s go on; a 200 that needs the database fails on its own) and is logged once, not at every tick.
 */
public final class LiveLayerVersions implements LayerVersions, AutoCloseable {

    /** How often the table is read; also the longest a new version stays unseen. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(LiveLayerVersions.class);
    private static final String SELECT_ALL = "SELECT level, version FROM layer_version";

    private final DataSource dataSource;
    private final ScheduledExecutorService poller;
    private final List<Consumer<Map<Level, Long>>> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<Level, Long> snapshot;
    private boolean failing;

    public LiveLayerVersions(DataSource dataSource, Duration interval) {
        this.dataSource = dataSource;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "observatory-api-layer-versions");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public long current(Level level) {
        Map<Level, Long> known = snapshot;
        if (known == null) {
            known = readAll();
            publish(known);
        }
        return known.getOrDefault(level, 0L);
    }

    @Override
    public long latest(Level level) {
        Map<Level, Long> read = readAll();
        publish(read);
        return snapshot.getOrDefault(level, 0L);
    }

    /** The versions of every level as last read; empty before the first successful read. */
    public Map<Level, Long> all() {
        Map<Level, Long> known = snapshot;
        return known == null ? Map.of() : known;
    }

    /** Called on the poller's thread with the levels whose version changed and their new versions. */
    public void onChange(Consumer<Map<Level, Long>> listener) {
        listeners.add(listener);
    }

    private void refresh() {
        try {
            publish(readAll());
            if (failing) {
                failing = false;
                LOG.info("Layer versions are read again");
            }
        } catch (StoreException e) {
            if (!failing) {
                failing = true;
                LOG.warn("Cannot read the layer versions; answering with the last ones known: {}",
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            }
        } catch (RuntimeException e) {
            // A listener's fault must not stop the poller: later ticks would never run.
            LOG.error("Layer version listener failed", e);
        }
    }

    private synchronized void publish(Map<Level, Long> read) {
        Map<Level, Long> before = snapshot;
        // Versions only grow; a slower reader (the first request racing the poller) must not roll one back.
        Map<Level, Long> merged = new EnumMap<>(Level.class);
        Map<Level, Long> changed = new EnumMap<>(Level.class);
        for (Level level : Level.values()) {
            long old = before == null ? -1 : before.getOrDefault(level, 0L);
            long now = Math.max(old, read.getOrDefault(level, 0L));
            merged.put(level, now);
            if (before != null && now != old) {
                changed.put(level, now);
            }
        }
        snapshot = Map.copyOf(merged);
        if (!changed.isEmpty()) {
            Map<Level, Long> event = Map.copyOf(changed);
            listeners.forEach(listener -> listener.accept(event));
        }
    }

    private Map<Level, Long> readAll() {
        Map<Level, Long> read = new EnumMap<>(Level.class);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SELECT_ALL);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                Optional<Level> level = Level.byId(rs.getString(1));
                if (level.isPresent()) {
                    read.put(level.get(), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the layer versions", e);
        }
        return read;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
