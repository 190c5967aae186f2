package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Json;
import org.soilobs.testkit.EmbeddedMqttBroker;

/** The command line in its own JVM, stopped with SIGTERM as a service manager would. */
class SimulatorStopIT {

    private static final long WAIT_MS = 120_000;

    @TempDir
    Path dir;

    @Test
    void sigtermStopsLiveModeCleanlyWithAWholeGroundTruthFile() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        Path log = dir.resolve("sim.log");
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dir.resolve("mqtt"))) {
            Process sim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), SimulatorApp.class.getName(),
                    "--mqtt", broker.url(), "--fields", "6", "--rate", "300", "--formats", "canonical:1,ttn:1",
                    "--faults", "spike:0.05", "--truth", truth.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.currentTimeMillis() + WAIT_MS;
                while (readingLines(truth) < 200 && sim.isAlive() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(readingLines(truth)).as(Files.readString(log)).isGreaterThanOrEqualTo(200);

                sim.destroy();

                assertThat(sim.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                sim.destroyForcibly();
            }
        }
        String output = Files.readString(log);
        assertThat(output).contains("published").doesNotContain("Exception");
        List<String> lines = Files.readAllLines(truth);
        assertThat(Files.readString(truth)).endsWith("\n");
        for (String line : lines) {
            JsonNode row = Json.mapper().readTree(line);
            assertThat(row.path("type").asText()).isIn("field", "reading");
        }
    }

    /** Reading rows flushed so far (the writer buffers, so this lags the run). */
    private static long readingLines(Path truth) throws Exception {
        if (!Files.exists(truth)) {
            return 0;
        }
        return Files.readAllLines(truth).stream().filter(line -> line.contains("\"type\":\"reading\"")).count();
    }
}
