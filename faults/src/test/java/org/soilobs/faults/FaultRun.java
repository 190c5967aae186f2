package org.soilobs.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.allinone.Observatory;
import org.soilobs.allinone.ObservatoryConfig;
import org.soilobs.allinone.Oracle;
import org.soilobs.sim.CanonicalBatch;
import org.soilobs.sim.MqttGatewayPublisher;
import org.soilobs.sim.PublishResult;
import org.soilobs.sim.PublishedReading;
import org.soilobs.sim.Scenario;

/**
 * The whole observatory (streams, sink, ingest, API from {@code all-in-one}) on servers the test owns
 * and can restart, fed through MQTT by the simulator's publisher. Each phase publishes a scenario of its
 * own time window in three parts: the first at full speed, the second one message every
 * {@value #PACE_MILLIS} ms from the moment the fault is injected until it is over (then the rest at
 * once), the third at full speed after it; the oracle then checks everything published so far.
 */
final class FaultRun implements AutoCloseable {

    static final long SEED = 20261124L;
    static final int FIELDS = 60;
    private static final Duration PHASE = Duration.ofMinutes(40);
    /** The gateways' pace while a fault is under way, so that messages arrive before, during and after it. */
    private static final long PACE_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(FaultRun.class);

    /** A fault, injected while gateways publish. */
    @FunctionalInterface
    interface Fault {
        void inject() throws Exception;
    }

    /** What one phase measured, for the fault matrix. */
    record Phase(String name, PublishResult published, long faultMillis, long recoveredMillis, Oracle.Result oracle) {
    }

    private final Observatory observatory;
    private final Oracle oracle;
    private final String mqttUrl;
    private final List<PublishedReading> published = new ArrayList<>();
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    private int phases;

    private FaultRun(Observatory observatory, String mqttUrl, String kafkaBootstrap) {
        this.observatory = observatory;
        this.mqttUrl = mqttUrl;
        this.oracle = new Oracle(observatory.dataSource(), kafkaBootstrap, observatory.fleet().fields());
    }

    /** Starts the observatory against the given servers; {@code env} adds or overrides settings. */
    static FaultRun start(Path dataDir, String mqttUrl, String kafkaBootstrap, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of(
                "OBS_DATA_DIR", dataDir.toString(),
                "OBS_SIMULATE", "false",
                "OBS_SIM_SEED", Long.toString(SEED),
                "OBS_SIM_FIELDS", Integer.toString(FIELDS),
                "OBS_API_PORT", "0",
                "OBS_EMBEDDED_POSTGRES_PORT", "0",
                "OBS_MQTT_URL", mqttUrl,
                "OBS_KAFKA_BOOTSTRAP", kafkaBootstrap));
        all.putAll(env);
        return new FaultRun(Observatory.start(ObservatoryConfig.fromEnv(all)), mqttUrl, kafkaBootstrap);
    }

    Observatory observatory() {
        return observatory;
    }

    Oracle oracle() {
        return oracle;
    }

    /**
     * Publishes the next time window's scenario (every message PUBACKed) with {@code fault} injected during
     * its second third, waits for the fault to be over, then checks the oracle over everything so far.
     */
    Phase phase(String name, Fault fault) throws Exception {
        Instant from = base.plus(PHASE.multipliedBy(phases++));
        Scenario scenario = Scenario.fixed(observatory.fleet(), SEED + phases, from, from.plus(PHASE),
                Duration.ofMinutes(1), 0.05);
        List<CanonicalBatch> batches = scenario.batches();
        int third = batches.size() / 3;
        long began = System.nanoTime();
        long[] faultMillis = new long[1];
        PublishResult first;
        PublishResult second;
        PublishResult last;
        try (MqttGatewayPublisher publisher = MqttGatewayPublisher.connect(mqttUrl, "faults-" + name)) {
            first = publisher.publish(batches.subList(0, third));
            CompletableFuture<Void> injected = CompletableFuture.runAsync(() -> {
                long start = System.nanoTime();
                try {
                    fault.inject();
                } catch (Exception e) {
                    throw new IllegalStateException("the fault " + name + " could not be injected", e);
                }
                faultMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            });
            second = publishWhile(publisher, batches.subList(third, 2 * third), injected);
            injected.get(5, TimeUnit.MINUTES);
            last = publisher.publish(batches.subList(2 * third, batches.size()));
        }
        published.addAll(scenario.readings());
        PublishResult all = new PublishResult(first.messages() + second.messages() + last.messages(),
                first.readings() + second.readings() + last.readings(),
                first.resent() + second.resent() + last.resent(),
                first.refused() + second.refused() + last.refused());
        Oracle.Result result = oracle.check(published);
        long recovered = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        Phase phase = new Phase(name, all, faultMillis[0], recovered, result);
        LOG.info("Fault phase {}: {} messages ({} readings, {} resent, {} refused) published; fault took {} ms; "
                        + "oracle held after {} ms: {} readings stored, {} dead letters ({} repeated), {} aggregates",
                name, all.messages(), all.readings(), all.resent(), all.refused(), faultMillis[0], recovered,
                result.storedReadings(), result.deadLetters(), result.duplicateDeadLetters(), result.aggregates());
        return phase;
    }

    private static PublishResult publishWhile(MqttGatewayPublisher publisher, List<CanonicalBatch> batches,
            CompletableFuture<Void> fault) throws InterruptedException {
        long messages = 0;
        long readings = 0;
        long resent = 0;
        long refused = 0;
        int next = 0;
        while (next < batches.size() && !fault.isDone()) {
            PublishResult one = publisher.publish(batches.subList(next, next + 1));
            messages += one.messages();
            readings += one.readings();
            resent += one.resent();
            refused += one.refused();
            next++;
            Thread.sleep(PACE_MILLIS);
        }
        PublishResult rest = publisher.publish(batches.subList(next, batches.size()));
        return new PublishResult(messages + rest.messages(), readings + rest.readings(), resent + rest.resent(),
                refused + rest.refused());
    }

    @Override
    public void close() {
        observatory.close();
    }
}
