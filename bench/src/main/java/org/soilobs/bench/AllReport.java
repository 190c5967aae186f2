package org.soilobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.soilobs.model.Json;

/**
 * The result of {@code ./observatory bench all}: raw baselines, the pipeline's step ramp, memory and CPU
 * per stage, on a described machine; written to {@code <dir>/<date>.json} and {@code <dir>/<date>.md}.
 *
 * @param command how it was run, to rerun it
 * @param baselines raw baselines and API figures, each with how it was measured
 * @param steps the ramp, in order
 * @param memory whole-stack memory figures
 * @param unmatchedThreads thread names no stage rule matched (a renamed thread lands here)
 */
public record AllReport(
        Instant started,
        String command,
        MachineInfo machine,
        double loadAtStart,
        double loadAtEnd,
        List<BenchReport.Figure> baselines,
        List<StepResult> steps,
        List<BenchReport.Figure> memory,
        List<String> unmatchedThreads) {

    public AllReport {
        baselines = List.copyOf(baselines);
        steps = List.copyOf(steps);
        memory = List.copyOf(memory);
        unmatchedThreads = List.copyOf(unmatchedThreads);
    }

    public Optional<StepResult> highestSustained() {
        return StepResult.highestSustained(steps);
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("### Benchmark `all` — ").append(started.truncatedTo(ChronoUnit.MINUTES)).append("\n\n");
        md.append("Machine: ").append(machine.describe()).append(". ");
        md.append(String.format(Locale.ROOT, "Load average %.2f at the start, %.2f at the end.%n%n", loadAtStart,
                loadAtEnd));
        md.append("Command: `").append(command).append("`\n\n");
        md.append(highestSustained().map(step -> String.format(Locale.ROOT,
                "**Highest sustained rate: %,.0f readings/s offered** (%,.0f achieved; p99 freshness to the API %.0f ms ≤ %.0f ms,"
                        + " every consumer group's lag flat, ≥ %.0f %% delivered).", step.offered(), step.achieved(),
                step.toApi().p99Ms(), StepResult.MAX_P99_MS, 100 * StepResult.MIN_DELIVERED))
                .orElse("**No step was sustained** (p99 freshness ≤ 1 s, lag flat, ≥ 95 % delivered)."));
        md.append("\n\n#### Raw baselines and the API\n\n| figure | value | unit | how |\n|---|---:|---|---|\n");
        for (BenchReport.Figure figure : baselines) {
            md.append(String.format(Locale.ROOT, "| %s | %,.1f | %s | %s |%n", figure.name(), figure.value(),
                    figure.unit(), figure.note()));
        }
        md.append("\n#### Pipeline ramp (sim → MQTT → ingest → Kafka → streams → sink → PostgreSQL → API)\n\n");
        md.append("| offered/s | achieved/s | ingested/s | → DB p50 / p95 / p99 ms | → API p50 / p95 / p99 ms | markers (missed) | lag: "
                + "group slope/s (last) | cores | JVM RSS MiB | PG RSS MiB | heap MiB | load | sustained |\n");
        md.append("|---:|---:|---:|---|---|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (StepResult step : steps) {
            StringBuilder lag = new StringBuilder();
            step.lag().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> lag
                    .append(lag.isEmpty() ? "" : "<br>").append(String.format(Locale.ROOT, "%s %+,.0f (%,d)",
                            entry.getKey(), entry.getValue().slopePerSecond(), entry.getValue().lastLag())));
            List<String> shortfalls = step.shortfalls();
            md.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %,.0f | %s | %s | %d (%d) | %s | %.2f | %.0f | %.0f | %.0f | %.2f | %s |%n",
                    step.offered(), step.achieved(), step.ingested(), percentiles(step.toDatabase()), percentiles(step.toApi()),
                    step.toApi().count(), step.toApi().missed(), lag, step.cores(), step.jvmRssMiB(), step.postgresRssMiB(),
                    step.heapUsedMiB(), step.loadAverage(),
                    shortfalls.isEmpty() ? "yes" : "no: " + String.join("; ", shortfalls)));
        }
        if (!steps.isEmpty()) {
            md.append("\n#### CPU per stage, core-µs per reading\n\n| stage |");
            StringBuilder rule = new StringBuilder("|---|");
            for (StepResult step : steps) {
                md.append(String.format(Locale.ROOT, " %,.0f/s |", step.offered()));
                rule.append("---:|");
            }
            md.append('\n').append(rule).append('\n');
            List<String> stages = new ArrayList<>(StageCpu.stages());
            stages.add("postgresql");
            stages.add("total");
            for (String stage : stages) {
                if (steps.stream().noneMatch(step -> step.cpuMicrosPerReading().containsKey(stage))) {
                    continue;
                }
                md.append("| ").append(stage).append(" |");
                for (StepResult step : steps) {
                    Double micros = step.cpuMicrosPerReading().get(stage);
                    md.append(micros == null ? " – |" : String.format(Locale.ROOT, " %.2f |", micros));
                }
                md.append('\n');
            }
        }
        md.append("\n#### Memory of the whole stack\n\n| figure | value | unit | how |\n|---|---:|---|---|\n");
        for (BenchReport.Figure figure : memory) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %s |%n", figure.name(), figure.value(),
                    figure.unit(), figure.note()));
        }
        if (!unmatchedThreads.isEmpty()) {
            md.append("\nThreads no stage rule names (counted under \"unnamed threads\"): ")
                    .append(String.join(", ", unmatchedThreads)).append(".\n");
        }
        return md.toString();
    }

    private static String percentiles(Freshness freshness) {
        if (freshness.count() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", freshness.p50Ms(), freshness.p95Ms(), freshness.p99Ms());
    }

    public JsonNode json() {
        ObjectNode json = Json.mapper().valueToTree(this);
        ArrayNode steps = (ArrayNode) json.get("steps");
        for (int i = 0; i < this.steps.size(); i++) {
            ObjectNode step = (ObjectNode) steps.get(i);
            step.put("sustained", this.steps.get(i).sustained());
            ArrayNode shortfalls = step.putArray("shortfalls");
            this.steps.get(i).shortfalls().forEach(shortfalls::add);
        }
        highestSustained().ifPresentOrElse(step -> json.put("highest_sustained_rate", step.offered()),
                () -> json.putNull("highest_sustained_rate"));
        return withoutNaN(json);
    }

    /** JSON has no NaN (a freshness nothing was measured for): such numbers become null. */
    static JsonNode withoutNaN(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<String> nulls = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNumber() && !Double.isFinite(field.getValue().doubleValue())) {
                    nulls.add(field.getKey());
                } else {
                    withoutNaN(field.getValue());
                }
            }
            nulls.forEach(object::putNull);
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNumber() && !Double.isFinite(array.get(i).doubleValue())) {
                    array.set(i, array.nullNode());
                } else {
                    withoutNaN(array.get(i));
                }
            }
        }
        return node;
    }

    /** Writes {@code <date>.json} and {@code <date>.md} under {@code dir}; returns the JSON's path. */
    public Path write(Path dir) {
        String base = LocalDate.ofInstant(started, ZoneOffset.UTC).toString();
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(base + ".json"),
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json()) + "\n");
            Files.writeString(dir.resolve(base + ".md"), markdown());
            return dir.resolve(base + ".json");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir, e);
        }
    }
}
