package org.soilobs.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.soilobs.model.Json;

/**
 * The figures of one benchmark run, with the machine they were measured on: printed as a Markdown
 * table and written to {@code bench/results/<date>-<name>.json} and {@code .md}.
 */
public final class BenchReport {

    /** One measured figure; the note says what it stands next to and how it was measured. */
    public record Figure(String name, double value, String unit, String note) {
    }

    private final String name;
    private final Instant started = Instant.now();
    private final List<Figure> figures = new ArrayList<>();

    public BenchReport(String name) {
        this.name = name;
    }

    public BenchReport add(String figure, double value, String unit, String note) {
        figures.add(new Figure(figure, value, unit, note));
        System.out.printf(Locale.ROOT, "  %-48s %14.1f %-10s %s%n", figure, value, unit, note);
        return this;
    }

    /** Cores, memory, OS and JVM of this machine. */
    public static String machine() {
        Runtime runtime = Runtime.getRuntime();
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format(Locale.ROOT, "%d cores, %.1f GiB, %s %s, Java %s",
                runtime.availableProcessors(), memory / 1024.0 / 1024 / 1024,
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(name).append(" — ").append(LocalDate.ofInstant(started, ZoneOffset.UTC))
                .append("\n\nMachine: ").append(machine()).append("\n\n| figure | value | unit | note |\n|---|---:|---|---|\n");
        for (Figure figure : figures) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s |%n", figure.name(), figure.value(),
                    figure.unit(), figure.note()));
        }
        return md.toString();
    }

    /** Prints the table and writes the result files under {@code bench/results}. */
    public void write() {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("benchmark", name);
        json.put("started", started.toString());
        json.put("machine", machine());
        ArrayNode rows = json.putArray("figures");
        figures.forEach(figure -> rows.addPOJO(figure));
        Path dir = Path.of(System.getProperty("bench.results", "bench/results"));
        String base = LocalDate.ofInstant(started, ZoneOffset.UTC) + "-" + name;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(base + ".json"),
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
            Files.writeString(dir.resolve(base + ".md"), markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir, e);
        }
        System.out.println();
        System.out.println(markdown());
        System.out.println("Written to " + dir.resolve(base + ".json"));
    }
}
