package org.soilobs.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.reference.ReferenceData;

/**
 * Live mode: the whole fleet reports current readings at the configured rate until closed.
 *
 * <p>Each probe reports all its quantities once per tick ({@link SimConfig#tickSeconds()}), the fields'
 * ticks spread evenly over the tick so the load is smooth. Every {@value #LOOP_MS} ms the readings that
 * fell due are grouped per gateway into messages of at most {@value Scenario#MAX_BATCH} and published;
 * the next round starts only when all are PUBACKed, so a slow broker slows the simulator instead of
 * piling up. When it falls more than {@value #MAX_BACKLOG_SECONDS} s behind, it skips ahead and logs
 * how many readings it skipped. Sequence numbers start at 1 per gateway and run.
 */
public final class Simulator implements AutoCloseable {

    static final long LOOP_MS = 100;
    static final long MAX_BACKLOG_SECONDS = 5;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    private final SimConfig config;
    private final Fleet fleet;
    private final ReadingGenerator generator;
    private final MqttGatewayPublisher publisher;
    private final Clock clock;
    private final long[] seq;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private Thread worker;

    public Simulator(SimConfig config, Fleet fleet, MqttGatewayPublisher publisher, Clock clock) {
        this.config = config;
        this.fleet = fleet;
        this.generator = new ReadingGenerator(config.seed());
        this.publisher = publisher;
        this.clock = clock;
        this.seq = new long[fleet.size()];
    }

    /**
     * Generates the fleet, connects and starts publishing.
     *
     * @throws MqttException when the broker cannot be reached
     */
    public static Simulator start(SimConfig config) throws MqttException {
        Fleet fleet = Fleet.generate(config.seed(), config.fields(), ReferenceData.load());
        LOG.info("fleet of {} fields in {} countries (seed {})", fleet.size(),
                fleet.fields().stream().map(field -> field.placement().country()).distinct().count(), config.seed());
        Simulator simulator = new Simulator(config, fleet, MqttGatewayPublisher.connect(config.mqttUrl(),
                config.clientId()), Clock.systemUTC());
        simulator.start();
        return simulator;
    }

    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        worker = new Thread(this::run, "sim-live");
        worker.start();
    }

    public Fleet fleet() {
        return fleet;
    }

    /** Readings in messages the broker PUBACKed. */
    public long publishedReadings() {
        return readings.get();
    }

    public long publishedMessages() {
        return messages.get();
    }

    /** Readings not generated because the simulator fell behind. */
    public long skippedReadings() {
        return skipped.get();
    }

    private void run() {
        Schedule schedule = new Schedule(clock.instant(), config.tickSeconds(), fleet.size());
        Instant last = schedule.origin().minusNanos(1);
        Instant progressAt = schedule.origin().plus(PROGRESS_EVERY);
        long progressReadings = 0;
        try {
            while (running.get()) {
                Instant now = clock.instant();
                Instant earliest = now.minusSeconds(MAX_BACKLOG_SECONDS);
                if (last.isBefore(earliest)) {
                    long missed = schedule.countDue(last, earliest) * ReadingGenerator.QUANTITIES.size();
                    skipped.addAndGet(missed);
                    LOG.warn("fell more than {} s behind: skipped {} readings", MAX_BACKLOG_SECONDS, missed);
                    last = earliest;
                }
                List<CanonicalBatch> due = dueBatches(schedule, last, now);
                last = now;
                if (!due.isEmpty()) {
                    PublishResult result = publisher.publish(due);
                    readings.addAndGet(result.readings());
                    messages.addAndGet(result.messages());
                }
                if (!now.isBefore(progressAt)) {
                    double seconds = Duration.between(progressAt.minus(PROGRESS_EVERY), now).toMillis() / 1000.0;
                    long total = readings.get();
                    LOG.info("published {} readings in {} messages; {} readings/s (target {}), {} skipped, {} resent",
                            total, messages.get(), Math.round((total - progressReadings) / seconds),
                            Math.round(config.rate()), skipped.get(), publisher.resentMessages());
                    progressReadings = total;
                    progressAt = now.plus(PROGRESS_EVERY);
                }
                long sleep = LOOP_MS - Duration.between(now, clock.instant()).toMillis();
                if (sleep > 0) {
                    TimeUnit.MILLISECONDS.sleep(sleep);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            if (running.get()) {
                LOG.error("live simulation stopped: {}", e.getMessage());
            }
        } finally {
            running.set(false);
        }
    }

    /** The messages of every probe report that fell due in ({@code after}, {@code upTo}]. */
    List<CanonicalBatch> dueBatches(Schedule schedule, Instant after, Instant upTo) {
        List<CanonicalBatch> batches = new ArrayList<>();
        for (int i = 0; i < fleet.size(); i++) {
            SimulatedField member = fleet.members().get(i);
            List<CanonicalBatch.Reading> pending = new ArrayList<>();
            for (Instant tick : schedule.due(i, after, upTo)) {
                pending.addAll(generator.readings(member, tick.truncatedTo(ChronoUnit.MILLIS)));
            }
            for (int start = 0; start < pending.size(); start += Scenario.MAX_BATCH) {
                batches.add(new CanonicalBatch(member.gateway(), ++seq[i],
                        pending.subList(start, Math.min(pending.size(), start + Scenario.MAX_BATCH))));
            }
        }
        return batches;
    }

    /** Stops after the messages in flight are PUBACKed (at most a few seconds), then disconnects. */
    @Override
    public void close() {
        boolean wasRunning = running.getAndSet(false);
        Thread thread;
        synchronized (this) {
            thread = worker;
        }
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(TimeUnit.SECONDS.toMillis(2));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        publisher.close();
        if (wasRunning) {
            LOG.info("simulator stopped: {} readings in {} messages published, {} skipped", readings.get(),
                    messages.get(), skipped.get());
        }
    }

    /**
     * When each field's probe reports: field {@code i} at origin + (i / fields + k) × tick, k ≥ 0.
     */
    record Schedule(Instant origin, long tickNanos, int fields) {

        Schedule(Instant origin, double tickSeconds, int fields) {
            this(origin, Math.max(1, Math.round(tickSeconds * 1e9)), fields);
        }

        /** The report times of field {@code index} in ({@code after}, {@code upTo}]. */
        List<Instant> due(int index, Instant after, Instant upTo) {
            long offset = tickNanos * index / fields;
            long from = Math.floorDiv(nanosSinceOrigin(after) - offset, tickNanos) + 1;
            long to = Math.floorDiv(nanosSinceOrigin(upTo) - offset, tickNanos);
            List<Instant> ticks = new ArrayList<>();
            for (long k = Math.max(0, from); k <= to; k++) {
                ticks.add(origin.plusNanos(offset + k * tickNanos));
            }
            return ticks;
        }

        /** How many reports of all fields fall in ({@code after}, {@code upTo}]. */
        long countDue(Instant after, Instant upTo) {
            long count = 0;
            for (int i = 0; i < fields; i++) {
                long offset = tickNanos * i / fields;
                long from = Math.max(0, Math.floorDiv(nanosSinceOrigin(after) - offset, tickNanos) + 1);
                long to = Math.floorDiv(nanosSinceOrigin(upTo) - offset, tickNanos);
                count += Math.max(0, to - from + 1);
            }
            return count;
        }

        private long nanosSinceOrigin(Instant time) {
            return Duration.between(origin, time).toNanos();
        }
    }
}
