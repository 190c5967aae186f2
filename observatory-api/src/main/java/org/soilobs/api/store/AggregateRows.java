package org.soilobs.api.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SortedMap;
import java.util.TreeMap;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;

/**
 * Reads rows of table {@code aggregate} back into the model's {@link Aggregate}, so that the API derives
 * means, area-weighted means and deviations with the same code that computed the statistics.
 */
public final class AggregateRows {

    /** The statistics columns, prefixed with an alias, in the order {@link #read} expects. */
    public static String columns(String alias) {
        String a = alias + ".";
        return a + "bucket, " + a + "count, " + a + "sum, " + a + "sum_sq, " + a + "min, " + a + "max, "
                + a + "first_time, " + a + "last_time, " + a + "area_ha, " + a + "area_weighted_sum, "
                + a + "flags::text AS flags, " + a + "members";
    }

    private static final ObjectReader FLAGS =
            Json.mapper().readerFor(new TypeReference<TreeMap<String, Long>>() { });

    private AggregateRows() {
    }

    /** The aggregate of the current row, or null when the row carries none (an outer join's miss). */
    public static Aggregate read(ResultSet rs, Level level, String area, Quantity quantity, Resolution resolution)
            throws SQLException {
        Instant bucket = instant(rs, "bucket");
        if (bucket == null) {
            return null;
        }
        long count = rs.getLong("count");
        Stats stats = new Stats(
                count,
                rs.getDouble("sum"),
                rs.getDouble("sum_sq"),
                nullableDouble(rs, "min"),
                nullableDouble(rs, "max"),
                instant(rs, "first_time"),
                instant(rs, "last_time"),
                rs.getDouble("area_ha"),
                rs.getDouble("area_weighted_sum"),
                flags(rs.getString("flags")));
        return new Aggregate(new AggregateKey(level, area, quantity, resolution, bucket), stats, rs.getInt("members"));
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    public static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static SortedMap<String, Long> flags(String json) throws SQLException {
        if (json == null) {
            return new TreeMap<>();
        }
        try {
            return FLAGS.readValue(json);
        } catch (IOException e) {
            throw new SQLException("aggregate.flags is not an object of counts: " + json, e);
        }
    }
}
