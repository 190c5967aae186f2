package org.soilobs.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.soilobs.model.Level;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;

/**
 * Loads the areas above fields — countries, sub-regions, regions, the world — with their map geometries
 * from the reference seeds into the {@code area} table. Idempotent and cheap when nothing changed: the
 * seeds' fingerprint is kept in {@code reference_load}, and simplifying every boundary (seconds) happens
 * only when it differs.
 */
final class ReferenceLoader {

    static final String NAME = "area";
    /** The seed files the areas and their geometries come from (reference/seeds). */
    private static final List<String> SEEDS = List.of("m49.json", "countries.geojson", "subregions.geojson",
            "regions.geojson", "world.geojson");
    /** Bump when the rows written change for the same seeds. */
    private static final int FORMAT = 1;

    private static final String UPSERT = """
            INSERT INTO area (level, code, name, parent_code, geometry_geojson, updated_at)
            VALUES (?, ?, ?, ?, ?, now())
            ON CONFLICT (level, code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
                geometry_geojson = EXCLUDED.geometry_geojson, updated_at = EXCLUDED.updated_at
            WHERE (area.name, area.parent_code, area.geometry_geojson)
                  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.parent_code, EXCLUDED.geometry_geojson)
            """;

    private ReferenceLoader() {
    }

    /** Writes the areas unless the same seeds were loaded before; returns how many areas were written. */
    static int load(DataSource dataSource, ReferenceData reference) throws SQLException {
        String fingerprint = fingerprint();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                // Sink instances starting together load one after the other; the later ones find it done.
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT pg_advisory_xact_lock(hashtext('soilobs.reference.area'))")) {
                    lock.executeQuery().close();
                }
                if (fingerprint.equals(loadedFingerprint(connection))) {
                    connection.commit();
                    return 0;
                }
                List<Area> areas = new ArrayList<>();
                for (Level level : Level.values()) {
                    if (level != Level.FIELD) {
                        areas.addAll(reference.areas(level));
                    }
                }
                try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                    for (Area area : areas) {
                        upsert.setString(1, area.level().id());
                        upsert.setString(2, area.code());
                        upsert.setString(3, area.name());
                        upsert.setString(4, area.parentCode());
                        upsert.setString(5, reference.displayGeoJson(area.level(), area.code()));
                        upsert.addBatch();
                    }
                    upsert.executeBatch();
                }
                try (PreparedStatement stale = connection.prepareStatement(
                        "DELETE FROM area WHERE NOT (level || ':' || code = ANY (?))")) {
                    stale.setArray(1, connection.createArrayOf("text",
                            areas.stream().map(area -> area.level().id() + ':' + area.code()).toArray()));
                    stale.executeUpdate();
                }
                try (PreparedStatement done = connection.prepareStatement("""
                        INSERT INTO reference_load (name, fingerprint, rows, loaded_at) VALUES (?, ?, ?, now())
                        ON CONFLICT (name) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, rows = EXCLUDED.rows,
                            loaded_at = EXCLUDED.loaded_at""")) {
                    done.setString(1, NAME);
                    done.setString(2, fingerprint);
                    done.setInt(3, areas.size());
                    done.executeUpdate();
                }
                connection.commit();
                return areas.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static String loadedFingerprint(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT fingerprint FROM reference_load WHERE name = ?")) {
            select.setString(1, NAME);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** SHA-256 of the seed files, the display tolerance and the row format. */
    static String fingerprint() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        for (String seed : SEEDS) {
            try (InputStream in = ReferenceData.class.getResourceAsStream("/seeds/" + seed)) {
                if (in == null) {
                    throw new IllegalStateException("seed /seeds/" + seed + " is not on the classpath");
                }
                digest.update(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read seed " + seed, e);
            }
        }
        digest.update(("tolerance=" + ReferenceData.DISPLAY_TOLERANCE_DEG + ";format=" + FORMAT)
                .getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }
}
