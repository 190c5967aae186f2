package org.soilobs.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.soilobs.model.Progress;

/**
 * Writes {@code soil.progress} into the {@code progress} table (V4): the newest state of each area upserted
 * in full, a tombstone (null) deleting the area. Idempotent, so a replayed batch changes nothing.
 */
final class ProgressWriter {

    private static final String UPSERT = """
            INSERT INTO progress (level, area, as_of, status, rate, rate_low, rate_high, stock_t, baseline_stock_t,
                                  delta_t_per_year, delta_variance, area_ha, fields, fields_with_trend,
                                  fields_on_track, fields_not_on_track, fields_losing, fields_insufficient,
                                  points, mann_kendall_p, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (level, area) DO UPDATE SET
                as_of = EXCLUDED.as_of, status = EXCLUDED.status, rate = EXCLUDED.rate,
                rate_low = EXCLUDED.rate_low, rate_high = EXCLUDED.rate_high, stock_t = EXCLUDED.stock_t,
                baseline_stock_t = EXCLUDED.baseline_stock_t, delta_t_per_year = EXCLUDED.delta_t_per_year,
                delta_variance = EXCLUDED.delta_variance, area_ha = EXCLUDED.area_ha, fields = EXCLUDED.fields,
                fields_with_trend = EXCLUDED.fields_with_trend, fields_on_track = EXCLUDED.fields_on_track,
                fields_not_on_track = EXCLUDED.fields_not_on_track, fields_losing = EXCLUDED.fields_losing,
                fields_insufficient = EXCLUDED.fields_insufficient, points = EXCLUDED.points,
                mann_kendall_p = EXCLUDED.mann_kendall_p, updated_at = now()
            """;
    private static final String DELETE = "DELETE FROM progress WHERE level = ? AND area = ?";

    private ProgressWriter() {
    }

    /** @param progress {@code level/code} key → newest progress, or null for an area that has gone */
    static void write(Connection connection, Map<String, Progress> progress) throws SQLException {
        if (progress.isEmpty()) {
            return;
        }
        List<String> removed = new ArrayList<>();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (Map.Entry<String, Progress> entry : progress.entrySet()) {
                Progress p = entry.getValue();
                if (p == null) {
                    removed.add(entry.getKey());
                    continue;
                }
                upsert.setString(1, p.level().id());
                upsert.setString(2, p.area());
                upsert.setTimestamp(3, Timestamp.from(p.asOf()));
                upsert.setString(4, p.status().id());
                setDouble(upsert, 5, p.rate());
                setDouble(upsert, 6, p.rateLow());
                setDouble(upsert, 7, p.rateHigh());
                upsert.setDouble(8, p.stockT());
                upsert.setDouble(9, p.baselineStockT());
                upsert.setDouble(10, p.deltaTPerYear());
                upsert.setDouble(11, p.deltaVariance());
                upsert.setDouble(12, p.areaHa());
                upsert.setInt(13, p.fields());
                upsert.setInt(14, p.fieldsWithTrend());
                upsert.setInt(15, count(p, Progress.Status.ON_TRACK));
                upsert.setInt(16, count(p, Progress.Status.NOT_ON_TRACK));
                upsert.setInt(17, count(p, Progress.Status.LOSING));
                upsert.setInt(18, count(p, Progress.Status.INSUFFICIENT_DATA));
                if (p.points() == null) {
                    upsert.setNull(19, Types.INTEGER);
                } else {
                    upsert.setInt(19, p.points());
                }
                setDouble(upsert, 20, p.mannKendallP());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        if (removed.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
            for (String key : removed) {
                int slash = key.indexOf('/');
                if (slash < 1) {
                    // not a key the carbon job writes; nothing of ours to delete
                    continue;
                }
                delete.setString(1, key.substring(0, slash));
                delete.setString(2, key.substring(slash + 1));
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    private static int count(Progress progress, Progress.Status status) {
        return progress.fieldsByStatus().getOrDefault(status.id(), 0);
    }

    private static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }
}
