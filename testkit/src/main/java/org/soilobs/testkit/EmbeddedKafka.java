package org.soilobs.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.TransactionVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one node), running in
 * this JVM and listening on 127.0.0.1 only.
 *
 * <p>The log directory is formatted only when it holds no {@code meta.properties} yet, so a broker
 * started again on the same directory keeps its cluster id, topics and committed offsets. The
 * settings make a lone broker behave like a cluster for clients: internal topics are created with
 * replication factor 1, so transactions (Kafka Streams {@code exactly_once_v2}) and consumer groups
 * work. Topics are never auto-created: create them with {@link #createTopics(Collection)}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    /**
     * Transactions v1 (KIP-98 with KIP-890 part 1's partition verification), not v2. Under v2 the
     * producer epoch is bumped at every commit and a partition joins the transaction implicitly with its
     * first produce request; when a pipelined batch with a sequence above 0 reaches a partition before the
     * batch with sequence 0 has been verified and appended, the broker rejects it as
     * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} ("Expected sequence 0 for transactions v2 ... with no existing
     * state", KAFKA-18202) and the producer retries after its backoff. Kafka Streams starts a transaction
     * every {@code commit.interval.ms} (100 ms here), so under load its producers looped on these retries;
     * with v1 they are gone (bench/README.md, "Findings").
     */
    static final TransactionVersion TRANSACTION_VERSION = TransactionVersion.TV_1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir, int port, int controllerPort) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker on a free port, keeping its log in {@code dataDir} (created if missing). */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, FreePorts.next());
    }

    /** Starts a broker whose clients connect to {@code 127.0.0.1:port}; the controller port is chosen free. */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, FreePorts.next());
    }

    /**
     * Stops this broker (if it still runs) and starts it again on the same log directory and ports: the
     * same broker to its clients, with its topics, offsets and transactions. For fault tests.
     */
    public EmbeddedKafka restart() {
        close();
        return start(logDir, port, controllerPort);
    }

    private static EmbeddedKafka start(Path dataDir, int port, int controllerPort) {
        long began = System.nanoTime();
        Path logDir = dataDir.toAbsolutePath().normalize();
        Properties props = serverProperties(logDir, port, controllerPort);
        KafkaConfig config = new KafkaConfig(props, false);
        formatIfNeeded(config, logDir);

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(server);
            throw new IllegalStateException("Kafka broker did not start on " + HOST + ":" + port
                    + " (controller " + HOST + ":" + controllerPort + ", log dir " + logDir + ")", e);
        }
        String bootstrap = HOST + ":" + port;
        keepTransactionVersion(bootstrap);
        LOG.info("Kafka broker (KRaft, node {}) ready in {} ms: bootstrap.servers={} controller={}:{} log.dirs={}",
                NODE_ID, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), bootstrap, HOST,
                controllerPort, logDir);
        return new EmbeddedKafka(server, bootstrap, logDir, port, controllerPort);
    }

    /** The value for the clients' {@code bootstrap.servers}, e.g. {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's log directory (also its KRaft metadata directory). */
    public Path logDir() {
        return logDir;
    }

    /**
     * Creates the topics that do not exist yet and waits until all of them exist. A topic that
     * already exists is left as it is, even if its partition count differs.
     */
    public void createTopics(Collection<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "testkit-create-topics"))) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
            List<String> created = new ArrayList<>();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + result.getKey(), e.getCause());
                    }
                }
            }
            if (!created.isEmpty()) {
                LOG.info("Created Kafka topics {}", created);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics not created within 30 s on " + bootstrapServers, e);
        }
    }

    /** Stops the broker and waits until it has released its ports and files. Safe to call twice. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long began = System.nanoTime();
            shutdownQuietly(server);
            LOG.info("Kafka broker {} stopped in {} ms", bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        }
    }

    private static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());

        // A single broker has to host every internal topic on its own.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");

        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "4");
        // The broker only becomes usable once the controller has unfenced it after a heartbeat.
        p.put("broker.heartbeat.interval.ms", "500");
        // The log cleaner's default 128 MB dedupe buffer is sized for a server of its own.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    private static void formatIfNeeded(KafkaConfig config, Path logDir) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka log dir " + logDir, e);
        }
        if (Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            LOG.debug("Kafka log dir {} already formatted", logDir);
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setFeatureLevel(TransactionVersion.FEATURE_NAME, TRANSACTION_VERSION.featureLevel())
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setHasDynamicQuorum(false)
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log dir " + logDir, e);
        }
        LOG.debug("Formatted Kafka log dir: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    /**
     * A log directory formatted before {@link #TRANSACTION_VERSION} was chosen still has transactions v2
     * finalized; it is brought down to v1 here (the controller accepts it as a safe downgrade).
     */
    private static void keepTransactionVersion(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "testkit-features"))) {
            FinalizedVersionRange finalized = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS)
                    .finalizedFeatures().get(TransactionVersion.FEATURE_NAME);
            short wanted = TRANSACTION_VERSION.featureLevel();
            if (finalized != null && finalized.maxVersionLevel() > wanted) {
                admin.updateFeatures(Map.of(TransactionVersion.FEATURE_NAME,
                                new FeatureUpdate(wanted, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                        new UpdateFeaturesOptions()).all().get(30, TimeUnit.SECONDS);
                LOG.info("Kafka {} lowered from {} to {}", TransactionVersion.FEATURE_NAME,
                        finalized.maxVersionLevel(), wanted);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting " + TransactionVersion.FEATURE_NAME, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set " + TransactionVersion.FEATURE_NAME + " on " + bootstrap, e);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker did not shut down cleanly: {}", e.toString());
        }
    }
}
