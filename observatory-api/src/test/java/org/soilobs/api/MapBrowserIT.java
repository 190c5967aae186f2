package org.soilobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.soilobs.model.Json;

/**
 * The map page in a real browser: Debian's headless Chromium driven by npm {@code playwright-core}
 * ({@code src/test/js/map-check.cjs}) against the API on a real PostgreSQL. The page must load without
 * a console error, draw the country layer with the API's values, redraw when the quantity changes and
 * when new data arrives (told by the live event stream), chart an area's recent buckets in its popup,
 * show an earlier bucket when the time slider moves back (and the latest again with "Latest"), and draw
 * SOC stock with its unit. The screenshots (popup open; the slider's earlier bucket) land in
 * {@code target/map-it/}.
 */
class MapBrowserIT {

    private static final String SCHEMA = "map_it";
    private static final String NO_DATA = "#cfd4d8";
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2025-06-01T11:00:00Z");
    private static final Instant DAY = Instant.parse("2025-06-01T00:00:00Z");
    private static final Path OUT = Path.of("target", "map-it");

    @RegisterExtension
    static final ApiFixture FIXTURE = new ApiFixture(SCHEMA, 4);

    private static ObservatoryApi api;

    @BeforeAll
    static void startApiWithAFewCountries() throws SQLException {
        FIXTURE.seed(connection -> {
            aggregate(connection, "FRA", "vwc", T0, 0.30);
            aggregate(connection, "DEU", "vwc", T0, 0.12);
            aggregate(connection, "FRA", "soc", T0, 20.0);
            aggregate(connection, "ESP", "soc", T0, 31.0);
            aggregate(connection, "FRA", "soc_stock", "P1D", DAY, 58.1);
            progress(connection, "FRA", "on_track", 0.0052, 0.0031, 0.0074);
            progress(connection, "ESP", "losing", -0.002, -0.004, -0.0005);
        });
        api = FIXTURE.start(FIXTURE.config(4));
    }

    /** One hourly country bucket of two readings, both {@code value}. */
    private static void aggregate(Connection connection, String country, String quantity, Instant bucket, double value)
            throws SQLException {
        aggregate(connection, country, quantity, "PT1H", bucket, value);
    }

    private static void aggregate(Connection connection, String country, String quantity, String resolution,
            Instant bucket, double value) throws SQLException {
        ApiFixture.uniformAggregate(connection, "country", country, quantity, resolution, bucket, 2, value);
    }

    /** One country's progress row, as the sink writes it from {@code soil.progress}: ten fields, eight with a trend. */
    private static void progress(Connection connection, String country, String status, double rate, double low,
            double high) throws SQLException {
        ApiFixture.progress(connection, "country", country, status, rate, low, high, 12000, 11500, rate * 11500, 4, 200,
                10, 8, new int[] {3, 3, 2, 2}, DAY);
    }

    @Test
    void drawsTheApisValuesAndFollowsTheQuantityAndNewData() throws Exception {
        Files.createDirectories(OUT);
        Path screenshot = OUT.resolve("map.png");
        Files.deleteIfExists(screenshot);
        Path profile = Files.createTempDirectory(OUT.toAbsolutePath(), "chromium-profile-");
        ProcessBuilder builder = new ProcessBuilder("node", Path.of("src", "test", "js", "map-check.cjs").toString(),
                api.baseUrl(), screenshot.toString(), profile.toString())
                .redirectError(OUT.resolve("node.log").toFile());
        builder.environment().put("NODE_PATH", Path.of("web", "node_modules").toAbsolutePath().toString());
        Process node = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("STEP failed {\"message\":\"stdout closed: " + e.getMessage() + "\"}");
            }
        }, "map-check-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode vwc = step(lines, "vwc").path("features");
            assertThat(vwc.path("FRA").path("value").asDouble()).isEqualTo(0.30);
            assertThat(vwc.path("DEU").path("value").asDouble()).isEqualTo(0.12);
            assertThat(vwc.path("FRA").path("fill").asText()).isNotEqualTo(NO_DATA)
                    .isNotEqualTo(vwc.path("DEU").path("fill").asText());
            assertThat(vwc.path("ITA").path("value").isNull()).isTrue();
            assertThat(vwc.path("ITA").path("fill").asText()).isEqualTo(NO_DATA);

            JsonNode soc = step(lines, "soc").path("features");
            assertThat(soc.path("FRA").path("value").asDouble()).isEqualTo(20.0);
            assertThat(soc.path("ESP").path("value").asDouble()).isEqualTo(31.0);
            assertThat(soc.path("DEU").path("fill").asText()).isEqualTo(NO_DATA);

            assertThat(step(lines, "ready").path("fra").asDouble()).isEqualTo(20.0);
            try (Connection connection = FIXTURE.pool().getConnection();
                    Statement statement = connection.createStatement()) {
                aggregate(connection, "FRA", "soc", T1, 26.0);
                statement.executeUpdate("UPDATE layer_version SET version = version + 1 WHERE level = 'country'");
            }
            OutputStream stdin = node.getOutputStream();
            stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();

            JsonNode updated = step(lines, "updated").path("features");
            assertThat(updated.path("FRA").path("value").asDouble()).isEqualTo(26.0);
            assertThat(updated.path("ESP").path("value").asDouble()).isEqualTo(31.0);
            JsonNode chart = step(lines, "chart");
            assertThat(chart.path("points").asInt()).isEqualTo(2);
            assertThat(chart.path("note").asText()).contains("20.0", "26.0", "g/kg");

            JsonNode slider = step(lines, "slider");
            assertThat(slider.path("time").asText()).isEqualTo(T0.toString());
            assertThat(slider.path("label").asText()).contains("2025-06-01 10:00 UTC");
            assertThat(slider.path("features").path("FRA").path("value").asDouble()).isEqualTo(20.0);
            assertThat(slider.path("features").path("ESP").path("value").asDouble()).isEqualTo(31.0);
            JsonNode latest = step(lines, "latest").path("features");
            assertThat(latest.path("FRA").path("value").asDouble()).isEqualTo(26.0);

            JsonNode stock = step(lines, "stock");
            assertThat(stock.path("features").path("FRA").path("value").asDouble()).isEqualTo(58.1);
            assertThat(stock.path("features").path("FRA").path("fill").asText()).isNotEqualTo(NO_DATA);
            assertThat(stock.path("features").path("ESP").path("fill").asText()).isEqualTo(NO_DATA);
            assertThat(stock.path("legend").asText()).isEqualTo("SOC stock (t C/ha)");

            JsonNode progress = step(lines, "progress");
            assertThat(progress.path("features").path("FRA").path("value").asDouble()).isEqualTo(0.0052);
            assertThat(progress.path("features").path("FRA").path("fill").asText()).isEqualTo("#b2abd2");
            assertThat(progress.path("features").path("ESP").path("fill").asText()).isEqualTo("#e08214");
            assertThat(progress.path("features").path("DEU").path("fill").asText()).isEqualTo(NO_DATA);
            assertThat(progress.path("ranking")).hasSize(2);
            assertThat(progress.path("ranking").get(0).asText()).startsWith("France").endsWith("+5.2 ‰");
            assertThat(progress.path("ranking").get(1).asText()).startsWith("Spain").endsWith("-2.0 ‰");
            assertThat(progress.path("popup").asText()).contains("+5.2 ‰ a year", "+3.1 ‰ to +7.4 ‰", "on track",
                    "80 % of fields have a trend");
            assertThat(progress.path("legend").asText()).isEqualTo("SOC stock change (‰ a year)");
            assertThat(step(lines, "errors")).isEmpty();
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).isZero();
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);
            assertThat(Files.size(OUT.resolve("map-time.png"))).isGreaterThan(10_000);
            assertThat(Files.size(OUT.resolve("map-progress.png"))).isGreaterThan(10_000);
        } finally {
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The payload of the next step line; a failure reported by the script fails the test with its reason. */
    private static JsonNode step(BlockingQueue<String> lines, String name) throws Exception {
        Map<String, String> seen = new HashMap<>();
        while (true) {
            String line = lines.poll(120, TimeUnit.SECONDS);
            assertThat(line).as("step " + name + " within 120 s; seen " + seen + "; see target/map-it/node.log")
                    .isNotNull();
            if (!line.startsWith("STEP ")) {
                continue;
            }
            String[] parts = line.split(" ", 3);
            assertThat(parts[1]).as(line).isNotEqualTo("failed");
            if (parts[1].equals(name)) {
                return Json.mapper().readTree(parts[2]);
            }
            seen.put(parts[1], parts[2]);
        }
    }
}
