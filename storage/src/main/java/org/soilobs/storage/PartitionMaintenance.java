package org.soilobs.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Keeps native reading partitions ready: one per month from last month to {@link StorageConfig#monthsAhead()}
 * months ahead, and drops those wholly older than the retention. With TimescaleDB it does nothing: chunks
 * are made on insert and dropped by the retention policy.
 */
public final class PartitionMaintenance {

    /** What one run did. */
    public record Outcome(int created, int dropped) {
    }

    private final DataSource dataSource;
    private final StorageConfig config;

    public PartitionMaintenance(DataSource dataSource, StorageConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    public Outcome run() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            int created;
            try (PreparedStatement ensure = connection.prepareStatement(
                    "SELECT ensure_reading_partitions((date_trunc('month', now()) - interval '1 month')::date, ?)")) {
                // last month, this month and the months ahead
                ensure.setInt(1, config.monthsAhead() + 2);
                created = single(ensure);
            }
            int dropped = 0;
            if (config.retention().isPresent()) {
                try (PreparedStatement drop = connection.prepareStatement(
                        "SELECT drop_reading_partitions_before(now() - ?::interval)")) {
                    drop.setString(1, config.retention().get().toString());
                    dropped = single(drop);
                }
            }
            return new Outcome(created, dropped);
        }
    }

    private static int single(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }
}
