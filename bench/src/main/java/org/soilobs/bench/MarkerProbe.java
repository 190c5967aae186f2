package org.soilobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.soilobs.ingest.bridge.NoDelaySocketFactory;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Quantity;
import org.soilobs.model.Sensor;
import org.soilobs.sim.CanonicalBatch;

/**
 * Freshness, measured with marker readings: a registered probe of its own publishes one canonical
 * reading every {@link #INTERVAL_MS} ms on its own MQTT connection, its time being the moment it was
 * due (so a publish held up by back-pressure counts against freshness: no coordinated omission).
 * Two pollers then note when each marker became visible:
 * <ul>
 *   <li>committed in the database: every {@link #DB_POLL_MS} ms,
 *       {@code SELECT max(time) FROM reading WHERE sensor = <marker> AND quantity = 'vwc'} — a backwards
 *       scan of the unique index that reads one row, so the probe adds no load worth the name; every
 *       marker at or before that time is committed (the sink commits a partition's readings in order,
 *       and the marker's readings share one partition);</li>
 *   <li>visible through the API: every {@link #API_POLL_MS} ms, {@code GET /api/v1/fields/<marker field>},
 *       whose {@code latest} vwc reading's time likewise settles every marker up to it.</li>
 * </ul>
 * A marker counts from its due time to the end of the poll that saw it, so the figures are upper bounds
 * by at most one poll interval and one query. Quality control holds each series' newest reading until
 * the next one arrives (spike detection), so each marker also waits one marker interval in streams: the
 * figures include it, as they would include a fleet sensor's own sampling interval.
 */
public final class MarkerProbe implements AutoCloseable {

    public static final long INTERVAL_MS = 50;
    static final long DB_POLL_MS = 20;
    static final long API_POLL_MS = 50;
    public static final String GATEWAY = "bench-marker-gw";
    public static final String SENSOR = "bench-marker-probe";
    public static final String FIELD = "bench-marker-field";

    private final MqttAsyncClient client;
    private final DataSource dataSource;
    private final URI fieldUri;
    private final ConcurrentSkipListMap<Long, Integer> awaitingDatabase = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, Integer> awaitingApi = new ConcurrentSkipListMap<>();
    private final Map<Integer, Histogram[]> windows = new ConcurrentHashMap<>();
    private final AtomicInteger window = new AtomicInteger(-1);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastSeenInDatabase = new AtomicLong();
    private volatile boolean running = true;
    private final List<Thread> threads;

    private MarkerProbe(MqttAsyncClient client, DataSource dataSource, String apiBaseUrl) {
        this.client = client;
        this.dataSource = dataSource;
        this.fieldUri = URI.create(apiBaseUrl + "/api/v1/fields/" + FIELD);
        this.threads = List.of(new Thread(this::publishLoop, "bench-marker-publish"),
                new Thread(this::databaseLoop, "bench-marker-db"), new Thread(this::apiLoop, "bench-marker-api"));
    }

    /** The marker's field: a copy of {@code like} (its place and soil) under the marker's id. */
    public static Field field(Field like) {
        return new Field(FIELD, like.lon(), like.lat(), like.areaHa(), like.landUse(), like.bulkDensity(),
                like.coarseFraction(), like.depthCm(), like.placement());
    }

    public static Sensor sensor(String model) {
        return new Sensor(SENSOR, GATEWAY, FIELD, model);
    }

    /** Connects and starts publishing and polling; the marker's field and sensor must be registered. */
    public static MarkerProbe start(String mqttUrl, DataSource dataSource, String apiBaseUrl) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(mqttUrl, "bench-marker", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(new NoDelaySocketFactory());
        options.setCleanStart(true);
        client.connect(options).waitForCompletion(30_000);
        MarkerProbe probe = new MarkerProbe(client, dataSource, apiBaseUrl);
        probe.threads.forEach(thread -> {
            thread.setDaemon(true);
            thread.start();
        });
        return probe;
    }

    /** Waits until markers reach the database, i.e. the registration has reached every stage. */
    public void awaitFlowing(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long since = System.currentTimeMillis();
        while (lastSeenInDatabase.get() < since) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no marker reading reached the database within " + timeoutMs
                        + " ms (" + published.get() + " published, " + failures.get() + " publish failures)");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Markers due from now on count in a new window. */
    public void beginWindow(int id) {
        windows.put(id, new Histogram[] {Freshness.histogram(), Freshness.histogram()});
        window.set(id);
    }

    /**
     * Stops counting markers into the window, waits up to {@code waitMs} for its markers to show through
     * the API, and returns their freshness: [0] to the database, [1] through the API. A marker still
     * missing then is counted as missed, at the time it has waited.
     */
    public Freshness[] endWindow(int id, long waitMs) throws InterruptedException {
        window.set(-1);
        long deadline = System.currentTimeMillis() + waitMs;
        while (awaitingApi.containsValue(id) || awaitingDatabase.containsValue(id)) {
            if (System.currentTimeMillis() > deadline) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        Histogram[] histograms = windows.remove(id);
        long now = System.currentTimeMillis();
        long missedDb = missed(awaitingDatabase, id, histograms, now);
        long missedApi = missed(awaitingApi, id, new Histogram[] {histograms[1]}, now) + missedDb;
        return new Freshness[] {summary(histograms[0], missedDb), summary(histograms[1], missedApi)};
    }

    private static Freshness summary(Histogram histogram, long missed) {
        synchronized (histogram) {
            return Freshness.of(histogram, missed);
        }
    }

    /** Removes the window's markers still awaited and records each, at the time it waited, in every histogram. */
    private long missed(ConcurrentSkipListMap<Long, Integer> awaiting, int id, Histogram[] histograms, long now) {
        long missed = 0;
        for (Map.Entry<Long, Integer> marker : awaiting.entrySet()) {
            if (marker.getValue() == id && awaiting.remove(marker.getKey(), id)) {
                for (Histogram histogram : histograms) {
                    synchronized (histogram) {
                        Freshness.record(histogram, (now - marker.getKey()) * 1000);
                    }
                }
                missed++;
            }
        }
        return missed;
    }

    public long published() {
        return published.get();
    }

    private void publishLoop() {
        long next = System.currentTimeMillis() / INTERVAL_MS * INTERVAL_MS + INTERVAL_MS;
        long seq = 0;
        while (running) {
            long now = System.currentTimeMillis();
            if (now < next) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(next - now));
                continue;
            }
            long due = next;
            next += INTERVAL_MS;
            // A varying value keeps QC from flagging a plateau; steps of 0.001 m3/m3 are no jump.
            double value = 0.25 + 0.001 * (seq % 20);
            CanonicalBatch batch = new CanonicalBatch(GATEWAY, ++seq, List.of(new CanonicalBatch.Reading(SENSOR,
                    Instant.ofEpochMilli(due), Quantity.VWC.id(), value, Quantity.VWC.unit(), 0, 10)));
            int current = window.get();
            if (current >= 0) {
                awaitingDatabase.put(due, current);
            }
            try {
                client.publish(batch.topic(), batch.payload(), 1, false);
                published.incrementAndGet();
            } catch (MqttException e) {
                failures.incrementAndGet();
                if (current >= 0) {
                    awaitingDatabase.remove(due);
                }
            }
        }
    }

    private void databaseLoop() {
        while (running) {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement latest = connection.prepareStatement(
                            "SELECT max(time) FROM reading WHERE sensor = ? AND quantity = ?")) {
                latest.setString(1, SENSOR);
                latest.setString(2, Quantity.VWC.id());
                while (running) {
                    long began = System.currentTimeMillis();
                    try (ResultSet row = latest.executeQuery()) {
                        row.next();
                        Timestamp time = row.getTimestamp(1);
                        if (time != null) {
                            settle(time.getTime(), awaitingDatabase, 0, awaitingApi);
                            lastSeenInDatabase.accumulateAndGet(time.getTime(), Math::max);
                        }
                    }
                    pause(began, DB_POLL_MS);
                }
            } catch (SQLException e) {
                pause(System.currentTimeMillis(), 500);
            }
        }
    }

    private void apiLoop() {
        while (running) {
            long began = System.currentTimeMillis();
            try {
                HttpURLConnection http = (HttpURLConnection) fieldUri.toURL().openConnection();
                http.setConnectTimeout(5_000);
                http.setReadTimeout(10_000);
                if (http.getResponseCode() == 200) {
                    try (InputStream in = http.getInputStream()) {
                        JsonNode detail = Json.mapper().readTree(in);
                        for (JsonNode latest : detail.path("latest")) {
                            if (latest.path("quantity").asText().equals(Quantity.VWC.id())) {
                                long visible = Instant.parse(latest.path("time").asText()).toEpochMilli();
                                // What the API shows is committed, even if the database poll has not noticed yet.
                                settle(visible, awaitingDatabase, 0, awaitingApi);
                                settle(visible, awaitingApi, 1, null);
                            }
                        }
                    }
                } else {
                    http.getErrorStream().close();
                }
            } catch (IOException | RuntimeException e) {
                // The field is registered shortly after start; until then, and on a timeout, poll again.
            }
            pause(began, API_POLL_MS);
        }
    }

    /** Every marker due at or before {@code visibleUpTo} is seen now: its freshness goes into its window. */
    private void settle(long visibleUpTo, ConcurrentSkipListMap<Long, Integer> awaiting, int which,
            ConcurrentSkipListMap<Long, Integer> next) {
        long now = System.currentTimeMillis();
        for (Map.Entry<Long, Integer> marker : awaiting.headMap(visibleUpTo, true).entrySet()) {
            if (!awaiting.remove(marker.getKey(), marker.getValue())) {
                continue;
            }
            Histogram[] histograms = windows.get(marker.getValue());
            if (histograms != null) {
                synchronized (histograms[which]) {
                    Freshness.record(histograms[which], (now - marker.getKey()) * 1000);
                }
            }
            if (next != null) {
                next.put(marker.getKey(), marker.getValue());
            }
        }
    }

    private void pause(long began, long periodMs) {
        long left = began + periodMs - System.currentTimeMillis();
        if (left > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(5_000);
        }
        try {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        } catch (MqttException e) {
            // Closing at the end of the run; nothing is left to measure.
        }
    }
}
