package org.soilobs.streams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.streams.carbon.CarbonProgress;

/**
 * Runs the streams jobs, {@code enrich} ({@link EnrichReadings}), {@code aggregate}
 * ({@link AggregateReadings}) and {@code carbon} ({@link CarbonProgress}), each as its own {@link KafkaStreams}
 * with its own application id, so that each can be scaled or reset without the others.
 */
public final class StreamsApp {

    public static final String ENRICH = "enrich";
    public static final String AGGREGATE = "aggregate";
    public static final String CARBON = "carbon";
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private StreamsApp() {
    }

    /** Runs until SIGTERM (closing both jobs cleanly) or until a job fails for good (exit status 1). */
    public static void main(String[] args) throws InterruptedException {
        Running running = start(StreamsSettings.fromEnv());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            running.close();
        }, "streams-shutdown"));
        KafkaStreams.State end = running.awaitStopped();
        if (end == KafkaStreams.State.ERROR) {
            LOG.error("a streams job failed; exiting");
            System.exit(1);
        }
    }

    /** Creates missing topics, then starts both jobs; {@link Running#awaitRunning} waits until they process. */
    public static Running start(StreamsSettings settings) {
        LOG.info("streams settings: {}", settings);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap()))) {
            TopicBootstrap.ensure(admin, settings.partitions(), settings.replication());
        }
        Running running = new Running(
                job(ENRICH, EnrichReadings.build(settings.dedupRetention()), settings),
                job(AGGREGATE, AggregateReadings.build(settings.grace()), settings),
                job(CARBON, CarbonProgress.build(), settings));
        running.start();
        return running;
    }

    private static KafkaStreams job(String name, Topology topology, StreamsSettings settings) {
        LOG.debug("{} topology:\n{}", name, topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, settings.toProperties(name));
        // Poison records are dead-lettered by the topologies, so an exception here is a bug or an
        // infrastructure fault: a fresh thread resumes from the last commit instead of taking the job down.
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("{} stream thread failed; replacing it", name, exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        return streams;
    }

    /** The running jobs. Closing stops them all, waiting for their last commit. */
    public static final class Running implements AutoCloseable {

        private final KafkaStreams enrich;
        private final KafkaStreams aggregate;
        private final KafkaStreams carbon;
        private final Object stateChange = new Object();

        private Running(KafkaStreams enrich, KafkaStreams aggregate, KafkaStreams carbon) {
            this.enrich = enrich;
            this.aggregate = aggregate;
            this.carbon = carbon;
        }

        private void start() {
            for (KafkaStreams streams : jobs()) {
                streams.setStateListener((next, previous) -> {
                    synchronized (stateChange) {
                        stateChange.notifyAll();
                    }
                });
            }
            try {
                enrich.start();
                aggregate.start();
                carbon.start();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        /** Waits until all jobs are RUNNING at the same moment. */
        public void awaitRunning(Duration timeout) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (stateChange) {
                while (!(enrich.state() == KafkaStreams.State.RUNNING && aggregate.state() == KafkaStreams.State.RUNNING
                        && carbon.state() == KafkaStreams.State.RUNNING)) {
                    for (KafkaStreams streams : jobs()) {
                        if (!streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                            throw new IllegalStateException("a streams job stopped while starting: " + streams.state());
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("streams jobs not running after " + timeout
                                + ": enrich " + enrich.state() + ", aggregate " + aggregate.state());
                    }
                    stateChange.wait(Math.max(1, left / 1_000_000));
                }
            }
        }

        /** Waits until either job stops, and returns the state it stopped in (ERROR or NOT_RUNNING). */
        public KafkaStreams.State awaitStopped() throws InterruptedException {
            synchronized (stateChange) {
                while (true) {
                    for (KafkaStreams streams : jobs()) {
                        KafkaStreams.State state = streams.state();
                        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                            return state;
                        }
                    }
                    stateChange.wait();
                }
            }
        }

        public KafkaStreams enrich() {
            return enrich;
        }

        public KafkaStreams aggregate() {
            return aggregate;
        }

        @Override
        public void close() {
            // Leaving the group lets a restarted instance take its partitions at once instead of
            // waiting a session timeout (45 s) for the departed member; Streams stays by default.
            CloseOptions options = CloseOptions.timeout(CLOSE_TIMEOUT)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
            for (KafkaStreams streams : jobs()) {
                if (!streams.close(options)) {
                    LOG.warn("a streams job did not close within {}", CLOSE_TIMEOUT);
                }
            }
        }

        private List<KafkaStreams> jobs() {
            return List.of(enrich, aggregate, carbon);
        }
    }
}
