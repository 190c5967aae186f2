package org.soilobs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the schema promises on either layout: the same tests run on plain PostgreSQL ({@link NativeSchemaIT})
 * and on TimescaleDB ({@link TimescaleSchemaIT}).
 */
abstract class SchemaContract {

    abstract DataSource dataSource();

    @ParameterizedTest(name = "time_bucket({0}, {1}) = {2}")
    @CsvSource({
        "15 minutes, 2026-11-23T03:17:59Z, 2026-11-23T03:15:00Z",
        "1 hour,     2026-11-23T03:17:00Z, 2026-11-23T03:00:00Z",
        "1 day,      2026-11-23T23:59:59Z, 2026-11-23T00:00:00Z",
        "1 day,      1999-12-31T23:00:00Z, 1999-12-31T00:00:00Z",
        // weeks start on Monday: 2000-01-03 was one
        "7 days,     2026-11-29T10:00:00Z, 2026-11-23T00:00:00Z",
        "1 month,    2026-11-23T03:00:00Z, 2026-11-01T00:00:00Z",
        "1 month,    1999-12-15T00:00:00Z, 1999-12-01T00:00:00Z",
        // quarters are counted from January 2000
        "3 months,   2026-11-23T03:00:00Z, 2026-10-01T00:00:00Z",
        "1 year,     2026-11-23T03:00:00Z, 2026-01-01T00:00:00Z",
    })
    void bucketsTimeLikeTimescaleDb(String width, String time, String bucket) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT time_bucket(?::interval, ?::timestamptz)")) {
            statement.setString(1, width);
            statement.setString(2, time);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                assertThat(row.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC))
                        .isEqualTo(OffsetDateTime.parse(bucket));
            }
        }
    }

    @Test
    void averagesReadingsPerHourWithTimeBucket() throws SQLException {
        execute("""
                INSERT INTO reading (time, sensor, quantity, value, field, country, subregion, region, depth_top_cm,
                                     depth_bottom_cm, flags, gateway, seq, received_at)
                SELECT t, 'contract-s1', 'vwc', v, 'contract-f1', 'FRA', '155', '150', 0, 10, ARRAY['G'], 'gw', 1, t
                FROM (VALUES ('2026-11-20 10:05+00'::timestamptz, 0.20), ('2026-11-20 10:55+00', 0.30),
                             ('2026-11-20 11:00+00', 0.50)) AS r(t, v)
                ON CONFLICT DO NOTHING
                """);
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT time_bucket('1 hour', time) AS hour, avg(value), count(*) FROM reading
                        WHERE sensor = 'contract-s1' GROUP BY hour ORDER BY hour""")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getObject(1, OffsetDateTime.class).toInstant()).hasToString("2026-11-20T10:00:00Z");
            assertThat(rows.getDouble(2)).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(rows.getLong(3)).isEqualTo(2);
            assertThat(rows.next()).isTrue();
            assertThat(rows.getObject(1, OffsetDateTime.class).toInstant()).hasToString("2026-11-20T11:00:00Z");
            assertThat(rows.getLong(3)).isEqualTo(1);
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void refusesASecondReadingWithTheSameIdentity() throws SQLException {
        String insert = """
                INSERT INTO reading (time, sensor, quantity, value, field, country, subregion, region, depth_top_cm,
                                     depth_bottom_cm, flags, gateway, seq, received_at)
                VALUES ('2026-11-21 08:00+00', 'contract-dup', 'ph', %s, 'f', 'FRA', '155', '150', 0, 10, '{}', 'gw',
                        1, now())
                ON CONFLICT (sensor, quantity, time) DO NOTHING""";
        execute(insert.formatted("6.5"));
        execute(insert.formatted("7.5"));
        assertThat(longOf("SELECT count(*) FROM reading WHERE sensor = 'contract-dup'")).isEqualTo(1);
        assertThat(longOf("SELECT (value * 10)::bigint FROM reading WHERE sensor = 'contract-dup'")).isEqualTo(65);
    }

    @Test
    void keepsTheColumnsTheApiReads() throws SQLException {
        assertThat(longOf("""
                SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'aggregate'
                  AND column_name IN
                ('level', 'area', 'quantity', 'resolution', 'bucket', 'count', 'sum', 'sum_sq', 'min', 'max',
                 'first_time', 'last_time', 'area_ha', 'area_weighted_sum', 'flags', 'members', 'updated_at')"""))
                .isEqualTo(17);
        assertThat(longOf("SELECT count(*) FROM layer_version")).isEqualTo(5);
        assertThat(longOf("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_name IN ('field', 'area')"))
                .isEqualTo(2);
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    long longOf(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
