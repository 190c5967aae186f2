package org.soilobs.api.series;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.soilobs.api.store.AggregateRows;
import org.soilobs.api.store.StoreException;

/** The buckets of one area's series, read along the primary key of table {@code aggregate}. */
final class SeriesRepository {

    private static final String SERIES = "SELECT " + AggregateRows.columns("a") + "\n"
            + "FROM aggregate a\n"
            + "WHERE a.level = ? AND a.area = ? AND a.quantity = ? AND a.resolution = ?\n"
            + "  AND a.bucket >= ? AND a.bucket < ?\n"
            + "ORDER BY a.bucket";

    private final DataSource dataSource;

    SeriesRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<SeriesPoint> points(SeriesRequest request) {
        List<SeriesPoint> points = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SERIES)) {
            statement.setString(1, request.level().id());
            statement.setString(2, request.area());
            statement.setString(3, request.quantity().id());
            statement.setString(4, request.resolution().id());
            AggregateRows.setInstant(statement, 5, request.firstBucket());
            AggregateRows.setInstant(statement, 6, request.to());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    points.add(SeriesPoint.of(AggregateRows.read(rs, request.level(), request.area(),
                            request.quantity(), request.resolution())));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read series " + request, e);
        }
        return points;
    }

    boolean fieldExists(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM field WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot look up field " + id, e);
        }
    }
}
