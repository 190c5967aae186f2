package org.soilobs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.soilobs.reference.ReferenceData;
import org.soilobs.sim.FaultRates;
import org.soilobs.sim.Fleet;
import org.soilobs.sim.FormatMix;
import org.soilobs.sim.PublisherPool;
import org.soilobs.sim.RawMessage;
import org.soilobs.sim.SimOptions;
import org.soilobs.sim.Traffic;
import org.soilobs.sim.TrafficRun;
import org.soilobs.testkit.EmbeddedMqttBroker;

/**
 * The simulator against an embedded HiveMQ in the same JVM: in live mode, the achieved rate next to the
 * configured one at several rates; in backfill, readings per second as fast as PUBACKs allow; and, as
 * raw baselines in the same run, how fast the simulator generates (no broker) and how fast the same
 * connections publish already-built messages.
 *
 * <p>Live rates are measured between two snapshots of the PUBACKed readings after a warm-up, so the
 * start-up and the last round do not count. A live run "keeps up" when it skipped nothing.
 *
 * <p>Usage: {@code ./observatory bench sim [fields, default 500] [connections, default 4]
 * [seconds per rate, default 20] [rates, default 10000,50000,100000]}.
 */
public final class SimBench {

    private static final long SEED = 42;
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    private SimBench() {
    }

    public static void main(String[] args) throws Exception {
        int fields = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        List<Double> rates = new ArrayList<>();
        for (String rate : (args.length > 3 ? args[3] : "10000,50000,100000").split(",")) {
            rates.add(Double.parseDouble(rate));
        }
        BenchReport report = new BenchReport("sim");
        System.out.printf(Locale.ROOT, "fleet of %d fields, %d connections, %d s per rate%n", fields, connections,
                seconds);
        Fleet fleet = Fleet.generate(SEED, fields, ReferenceData.load());
        Path dataDir = Files.createTempDirectory("sim-bench");
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dataDir.resolve("mqtt"));
                PublisherPool pool = PublisherPool.connect(broker.url(), "sim-bench", connections)) {
            generationBaseline(report, fleet);
            publishBaseline(report, fleet, pool);
            backfill(report, fleet, pool, seconds);
            for (double rate : rates) {
                live(report, fleet, pool, rate, seconds, FormatMix.CANONICAL_ONLY, "canonical");
            }
            live(report, fleet, pool, rates.get(rates.size() - 1), seconds,
                    FormatMix.parse("canonical:70,senml:10,ttn:10,chirpstack:10"), "mixed formats");
        }
        report.add("fields / connections", fields, "", connections + " MQTT connections, gateways spread by hash");
        report.write();
    }

    /** Generating and encoding only, no broker: the ceiling of every mode. */
    private static void generationBaseline(BenchReport report, Fleet fleet) {
        Traffic traffic = new Traffic(fleet, SEED, Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(15), 10,
                FormatMix.CANONICAL_ONLY, FaultRates.NONE, false);
        long readings = 0;
        long start = System.nanoTime();
        long r = 0;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            readings += traffic.round(r++, Long.MAX_VALUE).readings();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        report.add("generate + encode (no broker)", readings / elapsed, "readings/s",
                "canonical, 10 reports per message, one thread, incl. JIT warm-up");
    }

    /** The same connections publishing messages built beforehand: the broker's and Paho's ceiling. */
    private static void publishBaseline(BenchReport report, Fleet fleet, PublisherPool pool) throws Exception {
        Traffic traffic = new Traffic(fleet, SEED, Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(15), 10,
                FormatMix.CANONICAL_ONLY, FaultRates.NONE, false);
        List<List<RawMessage>> rounds = new ArrayList<>();
        for (long r = 0; r < 20; r++) {
            rounds.add(traffic.round(r, Long.MAX_VALUE).messages());
        }
        pool.publish(rounds.get(0));
        long readings = 0;
        long start = System.nanoTime();
        for (List<RawMessage> round : rounds.subList(1, rounds.size())) {
            readings += pool.publish(round).readings();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        report.add("publish pre-built messages (raw baseline)", readings / elapsed, "readings/s",
                "50 readings per message, QoS 1, PUBACKed");
    }

    private static void backfill(BenchReport report, Fleet fleet, PublisherPool pool, int seconds) throws Exception {
        Traffic traffic = new Traffic(fleet, SEED, Instant.parse("2023-01-01T00:00:00Z"), Duration.ofMinutes(15), 10,
                FormatMix.CANONICAL_ONLY, FaultRates.NONE, false);
        TrafficRun run = new TrafficRun(traffic, pool::publish, null, Clock.systemUTC());
        Thread worker = new Thread(() -> {
            try {
                run.backfill(Long.MAX_VALUE / 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-backfill");
        worker.start();
        TimeUnit.MILLISECONDS.sleep(WARM_UP.toMillis());
        long before = run.publishedReadings();
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        long after = run.publishedReadings();
        double elapsed = (System.nanoTime() - start) / 1e9;
        run.stop();
        worker.join();
        double rate = (after - before) / elapsed;
        report.add("backfill (time-warp)", rate, "readings/s", String.format(Locale.ROOT,
                "15-min reports, 50 readings per message; %.2f days of fleet history per second",
                rate / (traffic.readingsPerRound() / 10.0 * 96)));
    }

    private static void live(BenchReport report, Fleet fleet, PublisherPool pool, double rate, int seconds,
            FormatMix formats, String label) throws Exception {
        Duration tick = Traffic.tickFor(fleet, SEED, formats, rate);
        int perRound = SimOptions.liveReportsPerRound(tick);
        Traffic traffic = new Traffic(fleet, SEED, Instant.now().truncatedTo(ChronoUnit.SECONDS), tick, perRound,
                formats, FaultRates.NONE, true);
        double target = traffic.readingsPerRound() * 1000.0 / (tick.toMillis() * perRound);
        TrafficRun run = new TrafficRun(traffic, pool::publish, null, Clock.systemUTC());
        Thread worker = new Thread(() -> {
            try {
                run.live();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-live");
        worker.start();
        TimeUnit.MILLISECONDS.sleep(WARM_UP.toMillis());
        long before = run.publishedReadings();
        long skippedBefore = run.skippedReadings();
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        long after = run.publishedReadings();
        long skipped = run.skippedReadings() - skippedBefore;
        double elapsed = (System.nanoTime() - start) / 1e9;
        run.stop();
        worker.join();
        double achieved = (after - before) / elapsed;
        report.add(String.format(Locale.ROOT, "live %s, configured %.0f/s", label, rate), achieved, "readings/s",
                String.format(Locale.ROOT, "exact target %.0f/s (tick %d ms, %d reports/round): %.1f %% of it; %d skipped",
                        target, tick.toMillis(), perRound, 100 * achieved / target, skipped));
    }
}
