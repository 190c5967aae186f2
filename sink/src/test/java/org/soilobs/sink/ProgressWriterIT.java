package org.soilobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Level;
import org.soilobs.model.Progress;
import org.soilobs.model.Progress.Status;
import org.soilobs.storage.Database;
import org.soilobs.storage.StorageConfig;
import org.soilobs.testkit.EmbeddedPostgres;

/** Progress towards 4 ‰ through the sink's write path into a real PostgreSQL (V4 schema). */
class ProgressWriterIT {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder(Files.createTempDirectory("progress-writer-it").resolve("pg"))
                .durable(false).start();
        dataSource = postgres.dataSource();
        Database.migrate(dataSource, StorageConfig.defaults());
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static Progress country(String code, double deltaT) {
        return new Progress(Level.COUNTRY, code, AS_OF, 3, 2, new TreeMap<>(Map.of("on_track", 1,
                "not_on_track", 1, "insufficient_data", 1)), 1500, 1200, deltaT, 4, 25,
                deltaT / 1200, (deltaT - 3.92) / 1200, (deltaT + 3.92) / 1200,
                Status.of((deltaT - 3.92) / 1200, (deltaT + 3.92) / 1200), null, null);
    }

    private static Progress youngField(String id) {
        return new Progress(Level.FIELD, id, AS_OF, 1, 0, new TreeMap<>(Map.of("insufficient_data", 1)),
                600, 0, 0, 0, 10, null, null, null, Status.INSUFFICIENT_DATA, 5, null);
    }

    private static void write(Map<String, Progress> progress) throws SQLException {
        Batch batch = new Batch();
        batch.progress.putAll(progress);
        batch.track(new TopicPartition("soil.progress", 0), 1);
        new BatchWriter(dataSource).write(batch);
    }

    @Test
    void upsertsTheNewestStateAndDeletesOnATombstone() throws SQLException {
        Map<String, Progress> first = new LinkedHashMap<>();
        first.put("country/FRA", country("FRA", 6));
        first.put("field/f-1", youngField("f-1"));
        write(first);
        // replayed, then updated: one row per area, the newest state
        write(first);
        write(Map.of("country/FRA", country("FRA", 12)));

        assertThat(rows()).containsExactly(
                "country|FRA|on_track|0.01|3|2|1|1|0|1|null",
                "field|f-1|insufficient_data|null|1|0|0|0|0|1|5");

        Map<String, Progress> gone = new HashMap<>();
        gone.put("field/f-1", null);
        write(gone);

        assertThat(rows()).containsExactly("country|FRA|on_track|0.01|3|2|1|1|0|1|null");
    }

    private static List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT level || '|' || area || '|' || status || '|' || coalesce(rate::text, 'null') || '|'
                               || fields || '|' || fields_with_trend || '|' || fields_on_track || '|'
                               || fields_not_on_track || '|' || fields_losing || '|' || fields_insufficient || '|'
                               || coalesce(points::text, 'null')
                        FROM progress ORDER BY level, area""")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
