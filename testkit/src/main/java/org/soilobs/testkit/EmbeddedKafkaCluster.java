package org.soilobs.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.TransactionVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster of {@code size} KRaft nodes in this JVM, each broker and controller, configured
 * like production (DESIGN §9): replication factor 3 for every topic and internal topic,
 * {@code min.insync.replicas=2}. One node can be stopped ({@link #stop(int)}) and started again
 * ({@link #start(int)}) on its own log directory and ports, to lose a broker under load.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final String HOST = "127.0.0.1";

    private final Path root;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int[] ports;
    private final int[] controllerPorts;
    private final KafkaRaftServer[] servers;

    private EmbeddedKafkaCluster(Path root, int size) {
        this.root = root.toAbsolutePath().normalize();
        this.ports = new int[size];
        this.controllerPorts = new int[size];
        this.servers = new KafkaRaftServer[size];
        for (int i = 0; i < size; i++) {
            ports[i] = FreePorts.next();
            controllerPorts[i] = FreePorts.next();
        }
    }

    /** Starts a cluster of {@code size} (at least 3) nodes under {@code root}; nodes are numbered from 1. */
    public static EmbeddedKafkaCluster start(Path root, int size) {
        if (size < 3) {
            throw new IllegalArgumentException("a cluster with min.insync.replicas=2 that may lose a node needs 3 nodes");
        }
        long began = System.nanoTime();
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(root, size);
        // A node's start-up waits for a controller quorum, so the nodes start together, each on a thread
        // of its own (the common pool may have a single thread on a small machine).
        ExecutorService starters = Executors.newFixedThreadPool(size);
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int node = 1; node <= size; node++) {
            int id = node;
            starts.add(CompletableFuture.runAsync(() -> cluster.start(id), starters));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            cluster.close();
            throw new IllegalStateException("the Kafka cluster did not start under " + root, e);
        } finally {
            starters.shutdown();
        }
        LOG.info("Kafka cluster of {} KRaft nodes ready in {} ms: bootstrap.servers={}", size,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), cluster.bootstrapServers());
        return cluster;
    }

    /** Every node's address: clients find the cluster through any node that is up. */
    public String bootstrapServers() {
        StringJoiner joiner = new StringJoiner(",");
        for (int port : ports) {
            joiner.add(HOST + ":" + port);
        }
        return joiner.toString();
    }

    /** Starts node {@code node} (1-based) on its log directory and ports; formats the directory the first time. */
    public void start(int node) {
        int i = node - 1;
        Path logDir = root.resolve("node-" + node);
        KafkaConfig config = new KafkaConfig(properties(node, logDir), false);
        KafkaRaftServer server;
        synchronized (this) {
            if (servers[i] != null) {
                return;
            }
            format(config, node, logDir);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            servers[i] = server;
        }
        // Outside the lock: start-up waits for the other nodes' controllers.
        server.startup();
        LOG.info("Kafka node {} up on {}:{}", node, HOST, ports[i]);
    }

    /** Stops node {@code node} (1-based) without a controlled shutdown, as a broker that goes away. */
    public void stop(int node) {
        KafkaRaftServer server;
        synchronized (this) {
            server = servers[node - 1];
            servers[node - 1] = null;
        }
        if (server != null) {
            long began = System.nanoTime();
            shutdownQuietly(server);
            LOG.info("Kafka node {} stopped in {} ms", node, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        }
    }

    @Override
    public void close() {
        for (int node = servers.length; node >= 1; node--) {
            stop(node);
        }
    }

    private Properties properties(int node, Path logDir) {
        StringJoiner voters = new StringJoiner(",");
        for (int i = 0; i < ports.length; i++) {
            voters.add((i + 1) + "@" + HOST + ":" + controllerPorts[i]);
        }
        int i = node - 1;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node));
        p.put("controller.quorum.voters", voters.toString());
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + ports[i] + ",CONTROLLER://" + HOST + ":" + controllerPorts[i]);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + ports[i]);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("offsets.topic.replication.factor", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("unclean.leader.election.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "4");
        p.put("broker.heartbeat.interval.ms", "500");
        // A stopped node just goes away, as a crashed one would: the controller fences it after the session
        // timeout and moves its partitions' leadership. (A controlled shutdown would also hang once the
        // controller quorum is gone, when the last nodes of the cluster stop.)
        p.put("controlled.shutdown.enable", "false");
        p.put("broker.session.timeout.ms", "6000");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    private void format(KafkaConfig config, int node, Path logDir) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka log dir " + logDir, e);
        }
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(node)
                    .setClusterId(clusterId)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    // The same transactions version as the single broker's: see EmbeddedKafka.TRANSACTION_VERSION.
                    .setFeatureLevel(TransactionVersion.FEATURE_NAME, EmbeddedKafka.TRANSACTION_VERSION.featureLevel())
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setHasDynamicQuorum(false)
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log dir " + logDir, e);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka node did not shut down cleanly: {}", e.toString());
        }
    }
}
