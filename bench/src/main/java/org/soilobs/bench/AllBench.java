package org.soilobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.soilobs.allinone.Observatory;
import org.soilobs.allinone.ObservatoryConfig;
import org.soilobs.allinone.RegistryPublisher;
import org.soilobs.model.Topics;
import org.soilobs.sim.FaultRates;
import org.soilobs.sim.Fleet;
import org.soilobs.sim.FormatMix;
import org.soilobs.sim.PublisherPool;
import org.soilobs.sim.SimConfig;
import org.soilobs.sim.SimOptions;
import org.soilobs.sim.Traffic;
import org.soilobs.sim.TrafficRun;
import org.soilobs.sink.SinkConfig;
import org.soilobs.streams.StreamsSettings;

/**
 * Every stage side by side, in one run on this machine ({@code ./observatory bench all}, see
 * bench/README.md): the whole observatory starts in this JVM as {@code ./observatory run} starts it
 * ({@link Observatory}, embedded HiveMQ, Kafka and PostgreSQL, the simulator switched off); then
 * <ol>
 *   <li>baselines on the stack's own servers while the pipeline idles: the Kafka producer alone, MQTT
 *       publish → subscribe alone, binary {@code COPY} alone into {@code reading}, and the API answering
 *       a layer poll with 304 and with 200 under open-loop load;</li>
 *   <li>the pipeline under an open-loop step ramp: the simulated fleet publishes each step's rate on the
 *       clock (a round late is sent at once, one more than {@code 5 s} late is skipped and counted), while
 *       {@link MarkerProbe} measures freshness, {@link LagMonitor} the consumer groups' lag, {@link StageCpu}
 *       and {@link ProcStats} CPU per stage and memory.</li>
 * </ol>
 * Results go to {@code bench/results/<date>.json} and {@code .md}.
 */
public final class AllBench {

    private static final long SEED = SimConfig.DEFAULT_SEED;
    private static final int SIM_CONNECTIONS = 4;
    private static final long MARKER_WAIT_MS = 10_000;
    private static final int FAILED_STEPS_TO_STOP = 2;
    private static final int KAFKA_RECORDS = 300_000;
    private static final int MQTT_MESSAGES = 4_000;
    private static final int COPY_ROWS = 100_000;
    private static final int COPY_BATCH = 5_000;
    private static final int API_304_RATE = 30_000;
    private static final int API_200_RATE = 5_000;
    private static final String LAYER = "/api/v1/layers/country?quantity=vwc&resolution=PT1H";
    private static final double MIB = 1024.0 * 1024;

    private AllBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(AllOptions.USAGE);
            return;
        }
        AllOptions options;
        try {
            options = AllOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(AllOptions.USAGE);
            System.exit(2);
            return;
        }
        Instant started = Instant.now();
        MachineInfo machine = MachineInfo.current();
        double loadAtStart = MachineInfo.loadAverage();
        System.out.printf(Locale.ROOT, "bench all on %s; load average %.2f%nramp %s readings/s, %d s a step after %d s"
                + " warm-up%n", machine.describe(), loadAtStart, options.ramp().rates(), options.stepSeconds(),
                options.warmupSeconds());
        Path dataDir = Files.createTempDirectory("bench-all");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("OBS_SIM_FIELDS", String.valueOf(options.fields()));
        env.put("OBS_API_PORT", "0");
        // The per-client rate limit protects a public API; here one client is the load, and the server is measured.
        env.put("OBS_API_RATE_LIMIT", "0");
        env.put("OBS_DATA_DIR", dataDir.toString());
        ObservatoryConfig config = new ObservatoryConfig(env, dataDir, Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 0, 0, false);

        List<BenchReport.Figure> baselines = new ArrayList<>();
        List<BenchReport.Figure> memory = new ArrayList<>();
        List<StepResult> steps = new ArrayList<>();
        TreeSet<String> unmatched = new TreeSet<>();
        Observatory observatory = Observatory.start(config);
        // Ctrl-C must stop the embedded PostgreSQL too, which outlives this JVM otherwise.
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                observatory.close();
            }
        };
        Thread hook = new Thread(stop, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Map<String, String> stack = observatory.env();
            String bootstrap = stack.get("OBS_KAFKA_BOOTSTRAP");
            String mqtt = stack.get("OBS_MQTT_URL");
            RegistryPublisher.publish(bootstrap, List.of(MarkerProbe.field(observatory.fleet().fields().get(0))),
                    List.of(MarkerProbe.sensor(Fleet.PROBE_MODEL)));
            if (options.baselines()) {
                measure(baselines, "raw baselines", () -> rawBaselines(baselines, bootstrap, mqtt, observatory));
                // Before the ramp, while nothing writes aggregates: a layer version that moved would turn
                // the 304s into 200s.
                measure(baselines, "API baselines",
                        () -> apiBaselines(baselines, observatory.baseUrl(), options.baselineSeconds()));
            }
            OptionalLong postmaster = ProcStats.postmasterPid(dataDir.resolve("postgres"));
            boolean peakReset = ProcStats.resetPeak();
            StreamsSettings streams = StreamsSettings.fromEnv(stack);
            List<String> groups = LagMonitor.pipelineGroups(bootstrap, streams.appId() + "-",
                    SinkConfig.fromEnv(stack).groupId());
            try (MarkerProbe markers = MarkerProbe.start(mqtt, observatory.dataSource(), observatory.baseUrl());
                    LagMonitor lag = LagMonitor.start(bootstrap, groups);
                    PublisherPool sim = PublisherPool.connect(mqtt, "bench-sim", SIM_CONNECTIONS)) {
                markers.awaitFlowing(120_000);
                System.out.println("markers flowing; ramp begins");
                Ramp ramp = new Ramp(options, observatory.fleet(), sim, markers, lag, postmaster);
                int failedInARow = 0;
                for (int i = 0; i < options.ramp().rates().size() && failedInARow < FAILED_STEPS_TO_STOP; i++) {
                    StepResult step = ramp.step(i, options.ramp().rates().get(i), unmatched);
                    steps.add(step);
                    failedInARow = step.sustained() ? 0 : failedInARow + 1;
                    ramp.drain();
                }
                memory(memory, ramp, peakReset);
            }
        } finally {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running or ran; the stack is stopped either way.
            }
            deleteTree(dataDir);
        }
        AllReport report = new AllReport(started, "./observatory bench all " + String.join(" ", args), machine,
                loadAtStart, MachineInfo.loadAverage(), baselines, steps, memory, List.copyOf(unmatched));
        Path written = report.write(Path.of(System.getProperty("bench.results", "bench/results")));
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("Written to " + written + " and its .md");
    }

    private interface Measurement {
        void run() throws Exception;
    }

    /** A baseline that fails is reported as failed, with its reason, and the run goes on. */
    private static void measure(List<BenchReport.Figure> figures, String what, Measurement measurement)
            throws InterruptedException {
        try {
            measurement.run();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            System.out.println(what + " failed: " + e);
            figures.add(figure(what + " failed", Double.NaN, "", String.valueOf(e.getMessage())));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void rawBaselines(List<BenchReport.Figure> figures, String bootstrap, String mqtt,
            Observatory observatory) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("bench.baseline", 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        int recordBytes = IngestBench.recordBytes();
        IngestBench.kafkaAlone(bootstrap, recordBytes, KAFKA_RECORDS / 5);
        double kafka = IngestBench.kafkaAlone(bootstrap, recordBytes, KAFKA_RECORDS);
        figures.add(figure("Kafka producer alone", kafka, "records/s", KAFKA_RECORDS + " records of " + recordBytes
                + " B (a raw reading's JSON), acks=all, idempotent, ingest's producer settings, into the stack's broker"));
        System.out.printf(Locale.ROOT, "Kafka producer alone: %.0f records/s%n", kafka);

        IngestBench.mqttAlone(mqtt, MQTT_MESSAGES / 5, "bench");
        double messages = IngestBench.mqttAlone(mqtt, MQTT_MESSAGES, "bench");
        figures.add(figure("MQTT publish → subscribe alone", messages * IngestBench.READINGS_PER_BATCH, "readings/s",
                String.format(Locale.ROOT, "%d messages of %d readings (%.0f messages/s), QoS 1, %d publishers, one"
                        + " shared subscriber, through the stack's HiveMQ", MQTT_MESSAGES,
                        IngestBench.READINGS_PER_BATCH, messages, IngestBench.GATEWAYS)));
        System.out.printf(Locale.ROOT, "MQTT alone: %.0f readings/s%n", messages * IngestBench.READINGS_PER_BATCH);

        var rows = SinkBench.readings(COPY_ROWS, Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)));
        SinkBench.rawCopy(observatory.dataSource(), rows, COPY_BATCH);
        SinkBench.truncate(observatory.dataSource());
        double copy = SinkBench.rawCopy(observatory.dataSource(), rows, COPY_BATCH);
        SinkBench.truncate(observatory.dataSource());
        figures.add(figure("binary COPY alone into reading", copy, "rows/s", COPY_ROWS + " pre-encoded rows, one "
                + "transaction per " + COPY_BATCH + ", into the stack's reading table; second of two runs"));
        System.out.printf(Locale.ROOT, "COPY alone: %.0f rows/s%n", copy);
    }

    private static void apiBaselines(List<BenchReport.Figure> figures, String baseUrl, int seconds) throws Exception {
        URI uri = URI.create(baseUrl);
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        String tag = OpenLoopHttp.etag(address, LAYER);
        OpenLoopHttp.Result notModified = OpenLoopHttp.run(address, OpenLoopHttp.request(LAYER, tag), 304,
                API_304_RATE, 3, seconds);
        figures.add(apiFigure("API layer poll answered 304", API_304_RATE, notModified));
        OpenLoopHttp.Result full = OpenLoopHttp.run(address, OpenLoopHttp.request(LAYER, null), 200, API_200_RATE, 3,
                seconds);
        figures.add(apiFigure("API layer poll answered 200 (gzip)", API_200_RATE, full));
        System.out.printf(Locale.ROOT, "API: 304 %.0f req/s, 200 %.0f req/s%n", notModified.throughput(),
                full.throughput());
    }

    private static BenchReport.Figure apiFigure(String name, int rate, OpenLoopHttp.Result result) {
        return figure(name, result.throughput(), "req/s", String.format(Locale.ROOT, "country layer (every country, no"
                + " data yet), offered %,d/s open-loop over %d connections; p50 %.2f ms, p99 %.2f ms, max %.0f ms from"
                + " when due; %d errors",
                rate, OpenLoopHttp.CONNECTIONS, result.p50Ms(), result.p99Ms(), result.maxMs(), result.errors()));
    }

    private static void memory(List<BenchReport.Figure> memory, Ramp ramp, boolean peakReset) {
        long[] self = ProcStats.selfRssAndPeak();
        String since = peakReset ? "since the ramp began (peak reset through /proc/self/clear_refs)"
                : "since the JVM started, baselines included (the kernel refused to reset the peak)";
        memory.add(figure("JVM peak resident (VmHWM)", self[1] / MIB, "MiB", "the stack's JVM: HiveMQ, Kafka, "
                + "ingest, streams, sink, API, simulator and probes; " + since));
        memory.add(figure("JVM resident, highest sample", ramp.maxRss / MIB, "MiB", "VmRSS sampled every second"));
        memory.add(figure("JVM heap used, highest sample", ramp.maxHeap / MIB, "MiB", "MemoryMXBean, every second; "
                + "limit " + Math.round(Runtime.getRuntime().maxMemory() / MIB) + " MiB"));
        memory.add(figure("PostgreSQL resident, summed, highest sample", ramp.maxPgRss / MIB, "MiB",
                "VmRSS of the postmaster and its children, summed (shared buffers counted once per process)"));
        memory.add(figure("PostgreSQL proportional set, summed, highest sample", ramp.maxPgPss / MIB, "MiB",
                "Pss of smaps_rollup, summed: shared memory divided among the processes mapping it"));
        memory.add(figure("whole stack resident", (self[1] + ramp.maxPgPss) / MIB, "MiB",
                "JVM peak + PostgreSQL's highest Pss; aim ≤ 1 536 MiB at demo load"));
    }

    private static BenchReport.Figure figure(String name, double value, String unit, String note) {
        return new BenchReport.Figure(name, value, unit, note);
    }

    /** Runs the steps of the ramp and samples memory while they run. */
    private static final class Ramp {

        private final AllOptions options;
        private final Fleet fleet;
        private final PublisherPool sim;
        private final MarkerProbe markers;
        private final LagMonitor lag;
        private final OptionalLong postmaster;
        private final MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
        private Instant nextOrigin = Instant.now();
        long maxRss;
        long maxHeap;
        long maxPgRss;
        long maxPgPss;

        Ramp(AllOptions options, Fleet fleet, PublisherPool sim, MarkerProbe markers, LagMonitor lag,
                OptionalLong postmaster) {
            this.options = options;
            this.fleet = fleet;
            this.sim = sim;
            this.markers = markers;
            this.lag = lag;
            this.postmaster = postmaster;
        }

        StepResult step(int index, int rate, TreeSet<String> unmatched) throws Exception {
            Duration tick = Traffic.tickFor(fleet, SEED, FormatMix.CANONICAL_ONLY, rate);
            int perRound = SimOptions.liveReportsPerRound(tick);
            // Each step's readings are later than the last step's, so none is a duplicate of an earlier one.
            Instant origin = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            if (origin.isBefore(nextOrigin)) {
                origin = nextOrigin;
            }
            Traffic traffic = new Traffic(fleet, SEED, origin, tick, perRound, FormatMix.CANONICAL_ONLY,
                    FaultRates.NONE, true);
            double offered = traffic.readingsPerRound() * 1000.0 / (tick.toMillis() * perRound);
            TrafficRun run = new TrafficRun(traffic, sim::publish, null, Clock.systemUTC());
            Thread worker = new Thread(() -> {
                try {
                    run.live();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sim-bench-live");
            worker.setDaemon(true);
            worker.start();
            System.out.printf(Locale.ROOT, "step %d: offering %.0f readings/s (tick %d ms, %d reports a round)%n",
                    index + 1, offered, tick.toMillis(), perRound);
            TimeUnit.SECONDS.sleep(options.warmupSeconds());

            markers.beginWindow(index);
            lag.beginWindow();
            StageCpu.Snapshot cpuBefore = StageCpu.snapshot();
            long pgBefore = pgCpu();
            long publishedBefore = run.publishedReadings();
            long skippedBefore = run.skippedReadings();
            long rawBefore = lag.endOffsets(Topics.READINGS_RAW);
            long began = System.nanoTime();
            long stepRss = 0;
            long stepHeap = 0;
            long stepPg = 0;
            long end = began + TimeUnit.SECONDS.toNanos(options.stepSeconds());
            while (System.nanoTime() < end) {
                TimeUnit.MILLISECONDS.sleep(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                long rss = ProcStats.selfRssAndPeak()[0];
                long used = heap.getHeapMemoryUsage().getUsed();
                stepRss = Math.max(stepRss, rss);
                stepHeap = Math.max(stepHeap, used);
                if (postmaster.isPresent()) {
                    List<ProcStats.Cpu> tree = ProcStats.tree(postmaster.getAsLong());
                    long pgRss = ProcStats.treeRss(tree);
                    stepPg = Math.max(stepPg, pgRss);
                    maxPgPss = Math.max(maxPgPss, ProcStats.treePss(tree));
                }
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            long published = run.publishedReadings() - publishedBefore;
            long skipped = run.skippedReadings() - skippedBefore;
            long raw = lag.endOffsets(Topics.READINGS_RAW) - rawBefore;
            StageCpu.Window cpu = StageCpu.between(cpuBefore, StageCpu.snapshot());
            long pgUsed = pgCpu() - pgBefore;
            Map<String, LagTrend.Trend> trends = lag.trends();
            run.stop();
            worker.join(30_000);
            nextOrigin = traffic.roundEnd(run.rounds()).plusSeconds(1);
            Freshness[] freshness = markers.endWindow(index, MARKER_WAIT_MS);

            maxRss = Math.max(maxRss, stepRss);
            maxHeap = Math.max(maxHeap, stepHeap);
            maxPgRss = Math.max(maxPgRss, stepPg);
            unmatched.addAll(cpu.unmatched());
            Map<String, Double> perReading = new LinkedHashMap<>();
            long total = 0;
            double readings = Math.max(1, published);
            for (Map.Entry<String, Long> stage : cpu.stageNanos().entrySet()) {
                perReading.put(stage.getKey(), stage.getValue() / 1000.0 / readings);
                total += stage.getValue();
            }
            if (postmaster.isPresent()) {
                perReading.put("postgresql", pgUsed / 1000.0 / readings);
                total += pgUsed;
            }
            perReading.put("total", total / 1000.0 / readings);
            StepResult result = new StepResult(index + 1, offered, published / seconds, raw / seconds, seconds, skipped,
                    freshness[0], freshness[1], trends, perReading, total / 1e9 / seconds, stepRss / MIB,
                    stepPg / MIB, stepHeap / MIB, MachineInfo.loadAverage());
            System.out.printf(Locale.ROOT, "step %d: offered %.0f/s, achieved %.0f/s, ingested %.0f/s; freshness to DB "
                    + "p99 %.0f ms, to API p50 %.0f / p99 %.0f ms (%d markers); %.2f cores; %s%n", index + 1, offered,
                    result.achieved(), result.ingested(), freshness[0].p99Ms(), freshness[1].p50Ms(),
                    freshness[1].p99Ms(), freshness[1].count(), result.cores(),
                    result.sustained() ? "sustained" : "not sustained: " + String.join("; ", result.shortfalls()));
            return result;
        }

        /** Waits until the consumer groups have caught up (or {@code --drain-seconds} passed). */
        void drain() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainSeconds());
            long left = lag.totalLag();
            while (left > 1_000 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(500);
                left = lag.totalLag();
            }
            if (left > 1_000) {
                System.out.printf(Locale.ROOT, "  consumers still %d records behind after %d s of draining%n", left,
                        options.drainSeconds());
            }
        }

        private long pgCpu() {
            return postmaster.isPresent() ? ProcStats.treeCpuNanos(postmaster.getAsLong(),
                    ProcStats.tree(postmaster.getAsLong())) : 0;
        }
    }
}
