package org.soilobs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.soilobs.model.Json;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.Database;
import org.soilobs.storage.DbConfig;
import org.soilobs.testkit.EmbeddedPostgres;
import org.soilobs.testkit.SharedInfra;

/**
 * What the API's integration tests share, registered as a JUnit extension on a static field
 * ({@code @RegisterExtension static final ApiFixture FIXTURE = new ApiFixture("my_it", 4);}): before all
 * tests, a schema of their own on the shared PostgreSQL (so that other tests on the server cannot disturb
 * their tables), migrated by Flyway; rows written with plain SQL as the sink writes them; APIs started on
 * it and HTTP as browsers speak it. After all tests it stops the APIs it started, then its pool.
 */
public final class ApiFixture implements BeforeAllCallback, AfterAllCallback {

    /** HTTP/1.1 as browsers speak it to a plain-text server (the default would first try an h2c upgrade). */
    public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final String schema;
    private final int poolSize;
    private final List<ObservatoryApi> apis = new ArrayList<>();
    private DbConfig db;
    private HikariDataSource pool;

    /** Writes rows through one connection. */
    @FunctionalInterface
    public interface Rows {
        void write(Connection connection) throws SQLException;
    }

    /** Before all tests, drops and creates {@code schema} and migrates it with a pool of {@code poolSize}. */
    public ApiFixture(String schema, int poolSize) {
        this.schema = schema;
        this.poolSize = poolSize;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        EmbeddedPostgres postgres = SharedInfra.postgres();
        try (Connection connection = postgres.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
        db = new DbConfig(postgres.jdbcUrl() + "?currentSchema=" + schema, postgres.user(), postgres.password());
        pool = Database.pool(db, "observatory-api-" + schema, poolSize);
        Database.migrate(pool);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        apis.forEach(ObservatoryApi::close);
        apis.clear();
        if (pool != null) {
            pool.close();
        }
    }

    /** The world's areas, loaded once for every test that asks. */
    public static ReferenceData reference() {
        return Reference.DATA;
    }

    private static final class Reference {
        static final ReferenceData DATA = ReferenceData.load();
    }

    public DbConfig db() {
        return db;
    }

    public HikariDataSource pool() {
        return pool;
    }

    /** Writes {@code rows} through one connection of the pool. */
    public void seed(Rows rows) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            rows.write(connection);
        }
    }

    /** The plain configuration on this schema: loopback, any port, no CORS origins, {@code threads} threads. */
    public ApiConfig config(int threads) {
        return new ApiConfig("127.0.0.1", 0, List.of(), db, threads);
    }

    /** Starts an API with {@code config} on this fixture's pool; {@link #close()} stops it. */
    public ObservatoryApi start(ApiConfig config) {
        ObservatoryApi api = ObservatoryApi.start(config, pool, reference());
        apis.add(api);
        return api;
    }

    // ---- HTTP --------------------------------------------------------------------------------------------

    /** {@code GET} with the given header names and values, answered within 60 s. */
    public static HttpResponse<String> get(ObservatoryApi server, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(60)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }

    // ---- rows as the sink writes them -----------------------------------------------------------------------

    /** A registered field, cropland of bulk density 1.3 and 10 % coarse fragments sampled to 30 cm. */
    public static void field(Connection connection, String id, double lon, double lat, double areaHa, String country,
            String subregion, String region) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO field (id, lon, lat, area_ha, land_use, bulk_density, coarse_fraction, depth_cm, "
                        + "country, subregion, region) VALUES (?, ?, ?, ?, 'cropland', 1.3, 0.1, 30, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setDouble(2, lon);
            insert.setDouble(3, lat);
            insert.setDouble(4, areaHa);
            insert.setString(5, country);
            insert.setString(6, subregion);
            insert.setString(7, region);
            insert.executeUpdate();
        }
    }

    /**
     * One aggregate bucket, every statistic given; its readings span the bucket's first half hour, and
     * {@code min}, {@code max} and the times are null without good readings ({@code count} 0).
     */
    public static void aggregate(Connection connection, String level, String area, String quantity,
            String resolution, Instant bucket, long count, double sum, double sumSq, Double min, Double max,
            double areaHa, double areaWeightedSum, int members, String flags) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO aggregate (level, area, quantity, resolution, bucket, count, sum, sum_sq, min, max, "
                        + "first_time, last_time, area_ha, area_weighted_sum, flags, members) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
            insert.setString(1, level);
            insert.setString(2, area);
            insert.setString(3, quantity);
            insert.setString(4, resolution);
            insert.setObject(5, bucket.atOffset(ZoneOffset.UTC));
            insert.setLong(6, count);
            insert.setDouble(7, sum);
            insert.setDouble(8, sumSq);
            insert.setObject(9, min);
            insert.setObject(10, max);
            insert.setObject(11, count == 0 ? null : bucket.atOffset(ZoneOffset.UTC));
            insert.setObject(12, count == 0 ? null : bucket.plusSeconds(1800).atOffset(ZoneOffset.UTC));
            insert.setDouble(13, areaHa);
            insert.setDouble(14, areaWeightedSum);
            insert.setString(15, flags);
            insert.setInt(16, members);
            insert.executeUpdate();
        }
    }

    /** One bucket of {@code count} good readings, all {@code value}, from one member of 10 ha. */
    public static void uniformAggregate(Connection connection, String level, String area, String quantity,
            String resolution, Instant bucket, long count, double value) throws SQLException {
        aggregate(connection, level, area, quantity, resolution, bucket, count, count * value, count * value * value,
                value, value, 10, 10 * value, 1, "{\"G\": " + count + "}");
    }

    /** A reading of {@code field}, a field in France (FRA, 155, 150), over 0–30 cm, as {@code gateway} sent it. */
    public static void reading(Connection connection, String field, String sensor, String quantity, Instant time,
            double value, String flags, String gateway, long seq, Instant receivedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO reading (time, sensor, quantity, value, field, country, subregion, region, depth_top_cm, "
                        + "depth_bottom_cm, flags, gateway, seq, received_at) "
                        + "VALUES (?, ?, ?, ?, ?, 'FRA', '155', '150', 0, 30, ?::text[], ?, ?, ?)")) {
            insert.setObject(1, time.atOffset(ZoneOffset.UTC));
            insert.setString(2, sensor);
            insert.setString(3, quantity);
            insert.setDouble(4, value);
            insert.setString(5, field);
            insert.setString(6, flags);
            insert.setString(7, gateway);
            insert.setLong(8, seq);
            insert.setObject(9, receivedAt.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    /**
     * One area's progress row, as the sink writes it from {@code soil.progress}; {@code rate} and its bounds
     * are null without a trend, {@code byStatus} counts the fields on track, not on track, losing and with
     * insufficient data.
     */
    public static void progress(Connection connection, String level, String area, String status, Double rate,
            Double low, Double high, double stock, double baseline, double delta, double deltaVariance, double areaHa,
            int fields, int withTrend, int[] byStatus, Instant asOf) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO progress (level, area, as_of, status, rate, rate_low, rate_high, stock_t, baseline_stock_t,
                                      delta_t_per_year, delta_variance, area_ha, fields, fields_with_trend,
                                      fields_on_track, fields_not_on_track, fields_losing, fields_insufficient)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, level);
            insert.setString(2, area);
            insert.setObject(3, asOf.atOffset(ZoneOffset.UTC));
            insert.setString(4, status);
            insert.setObject(5, rate);
            insert.setObject(6, low);
            insert.setObject(7, high);
            insert.setDouble(8, stock);
            insert.setDouble(9, baseline);
            insert.setDouble(10, delta);
            insert.setDouble(11, deltaVariance);
            insert.setDouble(12, areaHa);
            insert.setInt(13, fields);
            insert.setInt(14, withTrend);
            for (int i = 0; i < 4; i++) {
                insert.setInt(15 + i, byStatus[i]);
            }
            insert.executeUpdate();
        }
    }
}
