package org.soilobs.allinone;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.soilobs.api.ApiConfig;
import org.soilobs.api.ObservatoryApi;
import org.soilobs.ingest.IngestApp;
import org.soilobs.ingest.IngestConfig;
import org.soilobs.reference.ReferenceData;
import org.soilobs.sim.Fleet;
import org.soilobs.sim.MqttGatewayPublisher;
import org.soilobs.sim.SimConfig;
import org.soilobs.sim.Simulator;
import org.soilobs.sink.Sink;
import org.soilobs.sink.SinkConfig;
import org.soilobs.storage.Database;
import org.soilobs.storage.DbConfig;
import org.soilobs.storage.StorageConfig;
import org.soilobs.streams.StreamsApp;
import org.soilobs.streams.StreamsSettings;
import org.soilobs.streams.TopicBootstrap;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedMqttBroker;
import org.soilobs.testkit.EmbeddedPostgres;
import org.soilobs.testkit.FreePorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole observatory in one JVM: embedded servers for every endpoint left unset, then streams, the
 * sink, ingest, the API and (optionally) the simulated fleet. Closing stops everything in reverse order.
 */
public final class Observatory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Observatory.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, String> env = new HashMap<>();
    private Fleet fleet;
    private ObservatoryApi api;
    private HikariDataSource pool;

    private Observatory() {
    }

    public static Observatory start(ObservatoryConfig config) {
        Observatory observatory = new Observatory();
        try {
            observatory.startAll(config);
            return observatory;
        } catch (RuntimeException | Error e) {
            observatory.close();
            throw e;
        } catch (Exception e) {
            observatory.close();
            throw new IllegalStateException("the observatory did not start: " + e.getMessage(), e);
        }
    }

    private void startAll(ObservatoryConfig config) throws Exception {
        env.putAll(config.env());
        env.putIfAbsent("OBS_STREAMS_STATE_DIR", config.dataDir().resolve("streams").toString());
        startInfrastructure(config);

        StreamsSettings streamsSettings = StreamsSettings.fromEnv(env);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, streamsSettings.bootstrap()))) {
            TopicBootstrap.ensure(admin, streamsSettings.partitions(), streamsSettings.replication());
        }

        // Registered before streams starts, so that its field table holds the fleet once it runs.
        SimConfig simConfig = SimConfig.fromEnv(env);
        fleet = Fleet.generate(simConfig.seed(), simConfig.fields(), ReferenceData.load());
        RegistryPublisher.publish(streamsSettings.bootstrap(), fleet.registrations(), fleet.sensors());
        LOG.info("Registered {} fields and {} sensors", fleet.fields().size(), fleet.sensors().size());

        StreamsApp.Running streams = remember(StreamsApp.start(streamsSettings));

        DbConfig db = DbConfig.fromEnv(env);
        pool = remember(Database.pool(db, "observatory", 8));
        Database.migrate(pool, StorageConfig.fromEnv(env));
        remember(Sink.start(SinkConfig.fromEnv(env), pool));

        remember(IngestApp.start(IngestConfig.fromEnv(env)));
        streams.awaitRunning(Duration.ofSeconds(60));

        api = remember(ObservatoryApi.start(ApiConfig.fromEnv(env), pool, ReferenceData.load()));

        if (config.simulate()) {
            Simulator simulator = new Simulator(simConfig, fleet,
                    MqttGatewayPublisher.connect(simConfig.mqttUrl(), simConfig.clientId()), Clock.systemUTC());
            remember(simulator).start();
        }
    }

    private void startInfrastructure(ObservatoryConfig config) {
        Path data = config.dataDir();
        if (config.mqttUrl().isEmpty()) {
            EmbeddedMqttBroker mqtt = remember(EmbeddedMqttBroker.start(data.resolve("mqtt"), port(config.embeddedMqttPort(), "MQTT")));
            env.put("OBS_MQTT_URL", mqtt.url());
        }
        if (config.kafkaBootstrap().isEmpty()) {
            EmbeddedKafka kafka = remember(EmbeddedKafka.start(data.resolve("kafka"), port(config.embeddedKafkaPort(), "Kafka")));
            env.put("OBS_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        }
        if (config.dbUrl().isEmpty()) {
            EmbeddedPostgres postgres = remember(EmbeddedPostgres.start(data.resolve("postgres"), port(config.embeddedPostgresPort(), "PostgreSQL")));
            env.put("OBS_DB_URL", postgres.jdbcUrl());
            env.put("OBS_DB_USER", postgres.user());
            env.put("OBS_DB_PASSWORD", postgres.password());
        }
    }

    /** The preferred port when it is free, otherwise any free one: a busy 1883 must not stop a demo. */
    private static int port(int preferred, String server) {
        if (preferred == 0) {
            return FreePorts.next();
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), preferred));
            return preferred;
        } catch (IOException busy) {
            int other = FreePorts.next();
            LOG.warn("Port {} is busy; the embedded {} server uses {} instead", preferred, server, other);
            return other;
        }
    }

    /** The effective environment: the caller's, with the endpoints of embedded servers filled in. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** The registered demo fleet. */
    public Fleet fleet() {
        return fleet;
    }

    public HikariDataSource dataSource() {
        return pool;
    }

    /** Where the map and the API answer, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return api.baseUrl();
    }

    private <T extends AutoCloseable> T remember(T component) {
        started.push(component);
        return component;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", component.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
