package org.soilobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Json;

class AllReportTest {

    private static final MachineInfo MACHINE = new MachineInfo("AMD EPYC 7B13", 2, 23.5, "Debian 12", "OpenJDK 17", 2);

    private static AllReport report() {
        StepResult passed = StepResultTest.step(2_000, 2_000, 350, StepResultTest.FLAT);
        StepResult unmeasured = new StepResult(2, 10_000, 6_000, 5_000, 25, 0, Freshness.of(Freshness.histogram(), 0),
                Freshness.of(Freshness.histogram(), 40), Map.of("soilobs-sink", StepResultTest.GROWING),
                Map.of("sink", 20.0, "postgresql", 30.0, "total", 120.0), 1.9, 1_000, 160, 500, 6.5);
        return new AllReport(Instant.parse("2026-11-23T05:40:12Z"), "./observatory bench all --steps 2", MACHINE, 4.2,
                6.1, List.of(new BenchReport.Figure("Kafka producer alone", 272_075, "records/s", "acks=all")),
                List.of(passed, unmeasured),
                List.of(new BenchReport.Figure("JVM peak resident (VmHWM)", 1_100, "MiB", "since the ramp began")),
                List.of("pool-N-thread-N"));
    }

    @Test
    void writesJsonAndMarkdownNamedByTheDate(@TempDir Path dir) throws Exception {
        Path json = report().write(dir);
        assertThat(json).isEqualTo(dir.resolve("2026-11-23.json"));
        assertThat(dir.resolve("2026-11-23.md")).exists();

        JsonNode written = Json.mapper().readTree(Files.readString(json));
        assertThat(written.path("highest_sustained_rate").asDouble()).isEqualTo(2_000);
        assertThat(written.path("machine").path("cpu_model").asText()).isEqualTo("AMD EPYC 7B13");
        JsonNode second = written.path("steps").get(1);
        assertThat(second.path("sustained").asBoolean()).isFalse();
        assertThat(second.path("shortfalls").size()).isEqualTo(5);
        // NaN is no JSON: an unmeasured percentile is null.
        assertThat(second.path("to_api").path("p99_ms").isNull()).isTrue();
        assertThat(second.path("cpu_micros_per_reading").path("postgresql").asDouble()).isEqualTo(30);
    }

    @Test
    void theMarkdownLeadsWithTheMachineAndTheHighestSustainedRate() {
        String md = report().markdown();
        assertThat(md).contains("AMD EPYC 7B13, 2 cores, 23.5 GiB")
                .contains("Load average 4.20 at the start, 6.10 at the end")
                .contains("**Highest sustained rate: 2,000 readings/s offered**")
                .contains("| Kafka producer alone | 272,075.0 | records/s | acks=all |")
                .contains("| 10,000 | 6,000 | 5,000 | – | – | 0 (40) |")
                .contains("| postgresql | – | 30.00 |")
                .contains("| JVM peak resident (VmHWM) | 1,100 | MiB |")
                .contains("pool-N-thread-N");
    }

    @Test
    void saysSoWhenNoStepWasSustained() {
        AllReport none = new AllReport(Instant.parse("2026-11-23T05:40:12Z"), "cmd", MACHINE, 1, 1, List.of(),
                List.of(), List.of(), List.of());
        assertThat(none.markdown()).contains("**No step was sustained**");
        assertThat(none.json().path("highest_sustained_rate").isNull()).isTrue();
    }
}
