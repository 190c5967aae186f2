package org.soilobs.api.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.soilobs.model.Level;

/** Reads table {@code layer_version}; a level without a row is at version 0. */
public final class DbLayerVersions implements LayerVersions {

    private final DataSource dataSource;

    public DbLayerVersions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public long current(Level level) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT version FROM layer_version WHERE level = ?")) {
            statement.setString(1, level.id());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the version of layer " + level.id(), e);
        }
    }
}
