package org.soilobs.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
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
import java.util.stream.Stream;
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
 * client ({@link OpenLoopHttp}, shared with {@code AllBench}) speaks HTTP/1.1 over plain sockets with
 * keep-alive, so that its own cost stays small next to the server's: both share the machine. The load
 * average at the start is reported with the figures, since other work on the machine moves them.
 *
 * <p>Usage: {@code ./observatory bench api [seconds per step, default 10]}.
 */
public final class ApiBench {

    private static final int WARMUP_SECONDS = 3;
    private static final int JIT_WARMUP_SECONDS = 10;
    private static final Instant BUCKET = Instant.parse("2025-06-01T10:00:00Z");

    private record Step(String name, String path, boolean conditional, int rate) {
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

    private static void run(BenchReport report, ObservatoryApi api, int seconds, int countries)
            throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", api.port());
        String countryLayer = "/api/v1/layers/country?quantity=vwc&resolution=PT1H";
        String regionLayer = "/api/v1/layers/region?quantity=vwc&resolution=PT1H";
        String countryTag = OpenLoopHttp.etag(address, countryLayer);
        String regionTag = OpenLoopHttp.etag(address, regionLayer);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "Machine: %s; %d countries with data; %d connections, %d s per step%n",
                BenchReport.machine(), countries, OpenLoopHttp.CONNECTIONS, seconds);
        report.add("load average at start", load, "", "1-minute load average of the machine (2 cores)");

        // The JIT compiles the server's and the client's hot paths first; these figures are not reported.
        OpenLoopHttp.run(address, OpenLoopHttp.request(countryLayer, countryTag), 304, 5_000, 0, JIT_WARMUP_SECONDS);
        OpenLoopHttp.run(address, OpenLoopHttp.request(regionLayer, null), 200, 500, 0, JIT_WARMUP_SECONDS);

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
            OpenLoopHttp.Result result = OpenLoopHttp.run(address,
                    OpenLoopHttp.request(step.path(), step.conditional() ? tag : null), step.conditional() ? 304 : 200,
                    step.rate(), WARMUP_SECONDS, seconds);
            String label = step.name() + " @ " + step.rate() + "/s";
            String note = String.format(Locale.ROOT, "offered %d/s open-loop; p50 %.2f ms, max %.1f ms; %d errors",
                    step.rate(), result.p50Ms(), result.maxMs(), result.errors());
            report.add(label + ": throughput", result.throughput(), "req/s", note);
            report.add(label + ": p99", result.p99Ms(), "ms", "from the time the request was due");
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
}
