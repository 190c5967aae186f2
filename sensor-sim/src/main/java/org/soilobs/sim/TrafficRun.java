package org.soilobs.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a {@link Traffic} round by round into a sink (MQTT in production), writing the ground truth as
 * it goes, either as fast as the sink acknowledges (time-warp backfill) or paced by the clock (live).
 * {@link #stop()} ends it after the round in flight, so the truth file never names a reading that was
 * not handed to the sink.
 */
public final class TrafficRun {

    /** Where messages go: {@link PublisherPool#publish} in production. */
    public interface Sink {
        PublishResult publish(List<RawMessage> messages) throws InterruptedException;
    }

    static final Duration MAX_BACKLOG = Duration.ofSeconds(5);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(TrafficRun.class);

    private final Traffic traffic;
    private final Sink sink;
    private final GroundTruthWriter truth;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong rounds = new AtomicLong();
    private Instant progressAt;
    private volatile Instant lastEventTime;
    private long progressReadings;

    /**
     * @param truth where the ground truth goes; null for none
     */
    public TrafficRun(Traffic traffic, Sink sink, GroundTruthWriter truth, Clock clock) {
        this.traffic = traffic;
        this.sink = sink;
        this.truth = truth;
        this.clock = clock;
    }

    /**
     * Publishes rounds 0 … {@code freshRounds − 1} and then the held-back messages, each round once
     * the previous one is acknowledged.
     *
     * @return whether it ran to the end (false when stopped)
     */
    public boolean backfill(long freshRounds) throws InterruptedException {
        startProgress(0);
        long last = freshRounds + Traffic.trailingRounds();
        ExecutorService ahead = aheadThread();
        try {
            Future<Traffic.Round> next = ahead.submit(() -> traffic.round(0, freshRounds));
            for (long r = 0; r < last && running.get(); r++) {
                Traffic.Round round = await(next);
                long following = r + 1;
                next = ahead.submit(() -> traffic.round(following, freshRounds));
                publish(round);
                progress(0);
            }
        } finally {
            ahead.shutdownNow();
        }
        return running.get();
    }

    /** Generates the next round while this one is published: generation and publishing overlap. */
    private static ExecutorService aheadThread() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sim-generate");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static Traffic.Round await(Future<Traffic.Round> round) throws InterruptedException {
        try {
            return round.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("generating a round failed", e.getCause());
        }
    }

    /** Publishes each round when its last report is due, until {@link #stop()}. */
    public void live() throws InterruptedException {
        double target = traffic.readingsPerRound() * 1000.0 / Duration.between(traffic.roundEnd(0),
                traffic.roundEnd(1)).toMillis();
        startProgress(target);
        long roundMillis = Duration.between(traffic.roundEnd(0), traffic.roundEnd(1)).toMillis();
        ExecutorService ahead = aheadThread();
        try {
            long r = 0;
            Future<Traffic.Round> next = ahead.submit(() -> traffic.round(0, Long.MAX_VALUE));
            while (running.get()) {
                Instant due = traffic.roundEnd(r);
                Instant now = clock.instant();
                if (now.isBefore(due)) {
                    TimeUnit.MILLISECONDS.sleep(Math.min(200, Duration.between(now, due).toMillis() + 1));
                    continue;
                }
                Duration behind = Duration.between(due, now);
                if (behind.compareTo(MAX_BACKLOG) > 0) {
                    long skip = behind.toMillis() / roundMillis;
                    skipped.addAndGet(skip * traffic.readingsPerRound());
                    LOG.warn("fell {} s behind: skipped {} rounds ({} readings)", behind.toSeconds(), skip,
                            skip * traffic.readingsPerRound());
                    r += skip;
                    next.cancel(true);
                    long resumed = r;
                    next = ahead.submit(() -> traffic.round(resumed, Long.MAX_VALUE));
                    continue;
                }
                Traffic.Round round = await(next);
                long following = r + 1;
                next = ahead.submit(() -> traffic.round(following, Long.MAX_VALUE));
                publish(round);
                r++;
                progress(target);
            }
        } finally {
            ahead.shutdownNow();
        }
    }

    private void publish(Traffic.Round round) throws InterruptedException {
        if (!round.deliveries().isEmpty()) {
            PublishResult result = sink.publish(round.messages());
            readings.addAndGet(result.readings());
            messages.addAndGet(result.messages());
        }
        if (truth != null) {
            truth.readings(round.missing());
            round.deliveries().forEach(delivery -> truth.readings(delivery.truth()));
        }
        rounds.incrementAndGet();
        lastEventTime = traffic.roundEnd(round.index());
    }

    private void startProgress(double target) {
        progressAt = clock.instant().plus(PROGRESS_EVERY);
        progressReadings = 0;
        LOG.info("{} gateways, {} readings per round{}", traffic.fleet().size(), traffic.readingsPerRound(),
                target > 0 ? String.format(Locale.ROOT, ", target %.0f readings/s", target) : "");
    }

    private void progress(double target) {
        Instant now = clock.instant();
        if (now.isBefore(progressAt)) {
            return;
        }
        double seconds = (PROGRESS_EVERY.toMillis() + Duration.between(progressAt, now).toMillis()) / 1000.0;
        long total = readings.get();
        LOG.info("{} readings in {} messages, {} rounds; {} readings/s{}; {} skipped; event time {}", total,
                messages.get(), rounds.get(), Math.round((total - progressReadings) / seconds),
                target > 0 ? " (target " + Math.round(target) + ")" : "", skipped.get(), lastEventTime);
        progressReadings = total;
        progressAt = now.plus(PROGRESS_EVERY);
    }

    /** Ends the run after the round in flight. */
    public void stop() {
        running.set(false);
    }

    public boolean isRunning() {
        return running.get();
    }

    /** Readings in messages the sink acknowledged (a duplicate's readings count again). */
    public long publishedReadings() {
        return readings.get();
    }

    public long publishedMessages() {
        return messages.get();
    }

    public long skippedReadings() {
        return skipped.get();
    }

    public long rounds() {
        return rounds.get();
    }
}
