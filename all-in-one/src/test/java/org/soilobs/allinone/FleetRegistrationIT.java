package org.soilobs.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.api.ApiConfig;
import org.soilobs.api.ObservatoryApi;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.soilobs.reference.ReferenceData;
import org.soilobs.sim.Fleet;
import org.soilobs.sim.FleetRegistrar;
import org.soilobs.sim.RegisterConfig;
import org.soilobs.sim.SimulatorApp;
import org.soilobs.storage.Database;
import org.soilobs.storage.DbConfig;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedPostgres;
import org.soilobs.testkit.FreePorts;
import org.soilobs.testkit.SharedInfra;

/**
 * {@code sensor-sim register} against the real API (embedded PostgreSQL and Kafka): the fleet's fields and
 * sensors arrive on the compacted registry topics, where streams learns them outside the all-in-one run.
 */
class FleetRegistrationIT {

    private static final String SCHEMA = "fleet_registration_it";
    private static final String ADMIN = "fleet-admin-token-0123456789";
    private static final String READER = "fleet-read-token-0123456789";
    private static final long SEED = 5;
    private static final int FIELDS = 4;
    private static final ReferenceData REFERENCE = ReferenceData.load();
    private static final Fleet FLEET = Fleet.generate(SEED, FIELDS, REFERENCE);

    private static DbConfig db;
    private static HikariDataSource pool;
    private static EmbeddedKafka kafka;
    private static ObservatoryApi api;

    @BeforeAll
    static void start() throws SQLException {
        EmbeddedPostgres postgres = SharedInfra.postgres();
        try (Connection connection = postgres.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
        }
        db = new DbConfig(postgres.jdbcUrl() + "?currentSchema=" + SCHEMA, postgres.user(), postgres.password());
        pool = Database.pool(db, "fleet-registration-it", 4);
        Database.migrate(pool);
        kafka = SharedInfra.kafka();
        kafka.createTopics(List.of(new NewTopic(Topics.FIELDS, 1, (short) 1), new NewTopic(Topics.SENSORS, 1, (short) 1)));
        api = startApi(0);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private static ObservatoryApi startApi(int port) {
        return ObservatoryApi.start(new ApiConfig("127.0.0.1", port, List.of(), db, 2, kafka.bootstrapServers())
                .withTokens(Set.of(ADMIN), Set.of(READER)), pool, REFERENCE);
    }

    private static List<String> args(int port) {
        return List.of("--api", "http://127.0.0.1:" + port, "--seed", Long.toString(SEED), "--fields",
                Integer.toString(FIELDS), "--api-wait", "PT2M");
    }

    @Test
    void registerPutsEveryFieldAndSensorOfTheFleetOnTheRegistryTopicsTwiceHarmlessly() throws Exception {
        for (int run = 0; run < 2; run++) {
            assertThat(SimulatorApp.register(args(api.port()), Map.of("OBS_SIM_API_TOKEN", ADMIN))).isZero();
        }
        Map<String, String> fields = latest(Topics.FIELDS);
        for (Field expected : FLEET.registrations()) {
            assertThat(fields).containsKey(expected.id());
            Field registered = Json.mapper().readValue(fields.get(expected.id()), Field.class);
            assertThat(registered.lon()).isEqualTo(expected.lon());
            assertThat(registered.lat()).isEqualTo(expected.lat());
            assertThat(registered.areaHa()).isEqualTo(expected.areaHa());
            assertThat(registered.landUse()).isEqualTo(expected.landUse());
            assertThat(registered.placement()).isEqualTo(expected.placement());
            assertThat(registered.sandFraction()).isEqualTo(expected.sandFraction());
            assertThat(registered.clayFraction()).isEqualTo(expected.clayFraction());
        }
        Map<String, String> sensors = latest(Topics.SENSORS);
        for (Sensor expected : FLEET.sensors()) {
            assertThat(sensors).containsKey(expected.id());
            assertThat(Json.mapper().readValue(sensors.get(expected.id()), Sensor.class)).isEqualTo(expected);
        }
    }

    @Test
    void registerWaitsForAnApiThatIsStillStarting() throws Exception {
        int port = FreePorts.next();
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
                () -> SimulatorApp.register(args(port), Map.of("OBS_SIM_API_TOKEN", ADMIN)));
        // Started only once register has met a refused connection (it logs and retries).
        Thread.sleep(1_500);
        try (ObservatoryApi late = startApi(port)) {
            assertThat(status.get(2, TimeUnit.MINUTES)).isZero();
        }
    }

    @Test
    void aTokenWithoutAdminRightsStopsAtOnceWithTheApisReason() {
        RegisterConfig config = new RegisterConfig(URI.create("http://127.0.0.1:" + api.port()), READER,
                Duration.ofMinutes(5));
        assertThatThrownBy(() -> new FleetRegistrar(config).register(FLEET))
                .isInstanceOf(FleetRegistrar.RegistrationException.class)
                .hasMessageContaining("403");
        assertThat(SimulatorApp.register(args(api.port()), Map.of("OBS_SIM_API_TOKEN", "unknown-token-0123456789")))
                .isEqualTo(1);
        assertThat(SimulatorApp.register(args(api.port()), Map.of())).as("no token: a configuration error")
                .isEqualTo(2);
    }

    /** The latest value per key on a one-partition topic, read from the beginning to its current end. */
    private static Map<String, String> latest(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, String> latest = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    latest.put(record.key(), record.value());
                }
            }
            assertThat(consumer.position(partition)).as("read %s to its end", topic).isEqualTo(end);
        }
        return latest;
    }
}
