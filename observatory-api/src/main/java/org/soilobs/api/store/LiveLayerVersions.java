package org.soilobs.api.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.model.Level;

/**
 * The layer versions kept in memory, shared by every request: a poll answered 304 then costs no
 * database query, whatever the number of clients. A tag may lag the table; it is never ahead of it, so
 * a body rendered after reading the version is never older than its tag.
 *
 * <p>The sink sends {@code NOTIFY layer_changed, '<level>'} in the transaction that bumps a version.
 * With a {@link Connector}, one dedicated connection {@code LISTEN}s on that channel and re-reads the
 * table when a notification arrives: a change is seen as soon as it commits, and the table is read
 * only when something changed (plus a safety read every {@code safetyInterval}). When the listening
 * connection drops, the table is polled every {@code fallbackInterval} until a new connection listens
 * again (retried with back-off); the versions are re-read on every (re)connection, so no change made
 * while nobody listened is missed.
 *
 * <p>{@link #latest} reads the table (and shares what it read with the pollers); a body is rendered at
 * that version. Until the first successful read the table is asked directly, so that a database that
 * is down at start answers 503 rather than a made-up version 0. Afterwards a failing read keeps the
 * last versions (304s go on; a 200 that needs the database fails on its own) and is logged once.
 */
public final class LiveLayerVersions implements LayerVersions, AutoCloseable {

    /** How often the table is polled while nobody listens; the longest a new version stays unseen then. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);
    /** How often the table is read anyway while listening: a guard against a notification never sent. */
    public static final Duration DEFAULT_SAFETY_INTERVAL = Duration.ofSeconds(10);
    /** The channel the sink notifies. */
    public static final String CHANNEL = "layer_changed";
    private static final Logger LOG = LoggerFactory.getLogger(LiveLayerVersions.class);
    private static final String SELECT_ALL = "SELECT level, version FROM layer_version";
    private static final int WAIT_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 30_000;

    /** Opens the connection that listens: a dedicated one, not a pool's, since it is held for good. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    private final DataSource dataSource;
    private final ScheduledExecutorService poller;
    private final long safetyNanos;
    private final Connector connector;
    private final Thread listener;
    private final List<Consumer<Map<Level, Long>>> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<Level, Long> snapshot;
    private volatile boolean listening;
    private volatile boolean closed;
    private volatile Connection listenConnection;
    private volatile long lastRead = System.nanoTime();
    private boolean failing;

    /** Polling only, every {@code interval}. */
    public LiveLayerVersions(DataSource dataSource, Duration interval) {
        this(dataSource, interval, interval, null);
    }

    public LiveLayerVersions(DataSource dataSource, Duration fallbackInterval, Duration safetyInterval,
            Connector connector) {
        this.dataSource = dataSource;
        this.safetyNanos = safetyInterval.toNanos();
        this.connector = connector;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "observatory-api-layer-versions");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::tick, 0, fallbackInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (connector == null) {
            listener = null;
        } else {
            listener = new Thread(this::listen, "observatory-api-layer-listen");
            listener.setDaemon(true);
            listener.start();
        }
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

    /** Whether a connection listens for the sink's notifications now (otherwise the table is polled). */
    public boolean listening() {
        return listening;
    }

    /** Called with the levels whose version changed and their new versions, on a background thread. */
    public void onChange(Consumer<Map<Level, Long>> listener) {
        listeners.add(listener);
    }

    private void tick() {
        if (listening && System.nanoTime() - lastRead < safetyNanos) {
            return;
        }
        refresh();
    }

    private synchronized void refresh() {
        try {
            publish(readAll());
            lastRead = System.nanoTime();
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

    private void listen() {
        long backoff = 500;
        boolean warned = false;
        while (!closed) {
            try (Connection connection = connector.open()) {
                listenConnection = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                listening = true;
                backoff = 500;
                if (warned) {
                    LOG.info("Listening to {} again", CHANNEL);
                    warned = false;
                }
                // Whatever changed while nobody listened.
                refresh();
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications(WAIT_MS);
                    if (notes != null && notes.length > 0) {
                        refresh();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    return;
                }
                if (!warned) {
                    warned = true;
                    LOG.warn("Not listening to {} ({}); polling the layer versions every tick until it is back",
                            CHANNEL, e.getMessage());
                }
            } finally {
                listening = false;
                listenConnection = null;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
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
        closed = true;
        poller.shutdownNow();
        if (listener != null) {
            listener.interrupt();
            Connection connection = listenConnection;
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // closing anyway; the listener thread ends with it
                }
            }
        }
    }
}
