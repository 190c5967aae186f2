package org.soilobs.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.soilobs.api.ApiConfig;
import org.soilobs.api.ObservatoryApi;
import org.soilobs.model.Level;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.Database;
import org.soilobs.storage.DbConfig;
import org.soilobs.testkit.EmbeddedPostgres;

/**
 * Layer polls against the API on a real PostgreSQL: a poll whose tag still matches (304, answered from
 * the in-memory version without a query) and a poll for a changed layer (200, the body rendered once
 * per version and served from memory, gzip-compressed as browsers ask for it), each next to the
 * rates the issue aims for (30 000 and 5 000 requests/s).
 *
 * <p>The load is open-loop: every connection sends on a fixed schedule whatever the answers do, and a
 * latency runs from the time the request was due, not from when it could be sent, so that a stalled
 * server shows in the percentiles instead of slowing the load down (no coordinated omission). The
 * client speaks HTTP/1.1 over plain sockets with keep-alive, so that its own cost stays small next to
 * the server's: both share the machine. The load average at the start is reported with the figures,
 * since other work on the machine moves them.
 *
 * <p>Usage: {@code ./observatory bench api [seconds per step, default 10]}.
 */
public final class ApiBench {

    // Few connections, each busy: on two cores shared by server and client, more client threads cost
    // more in context switches than they add in concurrency.
    private static final int CONNECTIONS = 8;
    private static final int WARMUP_SECONDS = 3;
    private static final int JIT_WARMUP_SECONDS = 10;
    private static final Instant BUCKET = Instant.parse("2025-06-01T10:00:00Z");

    private record Step(String name, String path, boolean conditional, int rate) {
    }

    private record Result(long completed, long errors, double seconds, Histogram latencies) {

        double throughput() {
            return completed / seconds;
        }

        double millis(double percentile) {
            return latencies.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private ApiBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        BenchReport report = new BenchReport("api");
        ReferenceData reference = ReferenceData.load();
        Path dataDir = Files.createTempDirectory("api-bench-pg");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir)) {
            DbConfig db = new DbConfig(postgres.jdbcUrl(), postgres.user(), postgres.password());
            try (HikariDataSource pool = Database.pool(db, "api-bench", 8)) {
                Database.migrate(pool);
                int countries = seed(pool, reference);
                try (ObservatoryApi api = ObservatoryApi.start(new ApiConfig("127.0.0.1", 0, List.of(), db, 8), pool,
                        reference)) {
                    run(report, api, seconds, countries);
                }
            }
        }
        deleteTree(dataDir);
        report.write();
        System.out.println();
        System.out.println(report.markdown());
    }

    private static void run(BenchReport report, ObservatoryApi api, int seconds, int countries) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", api.port());
        String countryLayer = "/api/v1/layers/country?quantity=vwc&resolution=PT1H";
        String regionLayer = "/api/v1/layers/region?quantity=vwc&resolution=PT1H";
        String countryTag = probe(address, countryLayer);
        String regionTag = probe(address, regionLayer);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "Machine: %s; %d countries with data; %d connections, %d s per step%n",
                BenchReport.machine(), countries, CONNECTIONS, seconds);
        report.add("load average at start", load, "", "1-minute load average of the machine (2 cores)");

        // The JIT compiles the server's and the client's hot paths first; these figures are not reported.
        load(address, request(countryLayer, countryTag), 304, 5_000, JIT_WARMUP_SECONDS);
        load(address, request(regionLayer, null), 200, 500, JIT_WARMUP_SECONDS);

        List<Step> steps = new ArrayList<>();
        for (int rate : new int[] {10_000, 20_000, 30_000, 40_000}) {
            steps.add(new Step("304 country layer", countryLayer, true, rate));
        }
        for (int rate : new int[] {1_000, 2_500, 5_000}) {
            steps.add(new Step("200 country layer (gzip)", countryLayer, false, rate));
        }
        for (int rate : new int[] {5_000, 10_000}) {
            steps.add(new Step("200 region layer (gzip)", regionLayer, false, rate));
        }
        for (Step step : steps) {
            String tag = step.path().equals(countryLayer) ? countryTag : regionTag;
            Result result = load(address, request(step.path(), step.conditional() ? tag : null),
                    step.conditional() ? 304 : 200, step.rate(), seconds);
            String label = step.name() + " @ " + step.rate() + "/s";
            String note = String.format(Locale.ROOT, "offered %d/s open-loop; p50 %.2f ms, p99.9 %.2f ms, max %.1f ms; "
                    + "%d errors", step.rate(), result.millis(50), result.millis(99.9),
                    result.latencies().getMaxValue() / 1e6, result.errors());
            report.add(label + ": throughput", result.throughput(), "req/s", note);
            report.add(label + ": p99", result.millis(99), "ms", "from the time the request was due");
        }
        report.add("load average at end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "",
                "1-minute load average of the machine (2 cores), this benchmark included");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Every country gets one hourly vwc bucket, so that the country layer carries a value everywhere. */
    private static int seed(HikariDataSource pool, ReferenceData reference) throws SQLException {
        List<Area> countries = reference.areas(Level.COUNTRY);
        try (Connection connection = pool.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO aggregate (level, area, quantity, resolution, bucket, count, sum, sum_sq, min, max, "
                                + "first_time, last_time, area_ha, area_weighted_sum, flags, members) "
                                + "VALUES (?, ?, 'vwc', 'PT1H', ?, 4, ?, ?, 0.1, 0.4, ?, ?, 40, ?, '{\"G\": 4}', 2)")) {
            int i = 0;
            for (Area country : countries) {
                double mean = 0.1 + (i++ % 30) / 100.0;
                insert.setString(1, Level.COUNTRY.id());
                insert.setString(2, country.code());
                insert.setObject(3, BUCKET.atOffset(ZoneOffset.UTC));
                insert.setDouble(4, 4 * mean);
                insert.setDouble(5, 4 * mean * mean + 0.01);
                insert.setObject(6, BUCKET.atOffset(ZoneOffset.UTC));
                insert.setObject(7, BUCKET.plusSeconds(1800).atOffset(ZoneOffset.UTC));
                insert.setDouble(8, 40 * mean);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return countries.size();
    }

    private static byte[] request(String path, String ifNoneMatch) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/geo+json\r\n"
                + "Accept-Encoding: gzip, deflate, br\r\n"
                + (ifNoneMatch == null ? "" : "If-None-Match: " + ifNoneMatch + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The tag of the gzip representation, as a browser would hold it; also warms the body cache. */
    private static String probe(InetSocketAddress address, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 10_000);
            socket.getOutputStream().write(request(path, null));
            Response response = Response.read(new BufferedInputStream(socket.getInputStream(), 65_536));
            if (response.status() != 200 || response.etag() == null) {
                throw new IllegalStateException(path + " answered " + response.status());
            }
            System.out.printf(Locale.ROOT, "%s: %d bytes gzip, tag %s%n", path, response.length(), response.etag());
            return response.etag();
        }
    }

    private static Result load(InetSocketAddress address, byte[] request, int expected, int rate, int seconds) {
        long interval = TimeUnit.SECONDS.toNanos(1) * CONNECTIONS / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long measureFrom = start + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        long[][] counts = new long[CONNECTIONS][2];
        for (int c = 0; c < CONNECTIONS; c++) {
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            histograms.add(histogram);
            long[] count = counts[c];
            long first = start + interval * c / CONNECTIONS;
            Thread thread = new Thread(() -> connection(address, request, expected, first, interval, measureFrom, end,
                    histogram, count), "bench-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long completed = 0;
        long errors = 0;
        for (int c = 0; c < CONNECTIONS; c++) {
            try {
                threads.get(c).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            all.add(histograms.get(c));
            completed += counts[c][0];
            errors += counts[c][1];
        }
        return new Result(completed, errors, TimeUnit.NANOSECONDS.toMillis(end - measureFrom) / 1000.0, all);
    }

    /**
     * One keep-alive connection sending on its schedule. A request due while the previous answer is
     * still awaited goes out as soon as that answer is in, and its latency counts from when it was due.
     */
    private static void connection(InetSocketAddress address, byte[] request, int expected, long first, long interval,
            long measureFrom, long end, Histogram histogram, long[] count) {
        Socket socket = null;
        try {
            socket = open(address);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65_536);
            for (long due = first; due < end; due += interval) {
                long now = System.nanoTime();
                if (now < due) {
                    LockSupport.parkNanos(due - now);
                }
                boolean ok;
                try {
                    out.write(request);
                    ok = Response.read(in).status() == expected;
                } catch (IOException e) {
                    ok = false;
                    socket.close();
                    socket = open(address);
                    out = socket.getOutputStream();
                    in = new BufferedInputStream(socket.getInputStream(), 65_536);
                }
                long done = System.nanoTime();
                // Every request due in the window has its latency, however late it completes (dropping the
                // late ones would hide the tail); throughput counts the answers completed in the window.
                if (due >= measureFrom) {
                    histogram.recordValue(Math.min(done - due, histogram.getHighestTrackableValue()));
                }
                if (done >= measureFrom && done < end) {
                    count[ok ? 0 : 1]++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing at the end of the run; nothing is left to measure
                }
            }
        }
    }

    private static Socket open(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 10_000);
        return socket;
    }

    /** The status, tag and body length of one HTTP/1.1 response, its body read and dropped. */
    private record Response(int status, String etag, long length) {

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            String etag = null;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "etag" -> etag = value;
                    default -> { }
                }
            }
            if (status == 304 || status == 204) {
                return new Response(status, etag, 0);
            }
            if (chunked) {
                long total = 0;
                for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                    skip(in, size);
                    line(in);
                    total += size;
                }
                for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are not used here
                }
                return new Response(status, etag, total);
            }
            if (length < 0) {
                throw new IOException("a response without length on a keep-alive connection");
            }
            skip(in, length);
            return new Response(status, etag, length);
        }

        private static void skip(InputStream in, long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed inside a body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }
    }
}
