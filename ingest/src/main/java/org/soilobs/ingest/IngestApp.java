package org.soilobs.ingest;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.soilobs.ingest.bridge.KafkaSettings;
import org.soilobs.ingest.bridge.MqttKafkaBridge;
import org.soilobs.ingest.decode.PayloadDecoding;
import org.soilobs.ingest.registry.RegistryFollower;
import org.soilobs.ingest.registry.SensorRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest: follows the sensor registry, then bridges the gateways' MQTT messages into Kafka.
 *
 * <p>{@link #main} reads {@link IngestConfig#fromEnv()} and runs until SIGTERM/SIGINT; the all-in-one
 * launcher and tests call {@link #start(IngestConfig)} and close the handle.
 */
public final class IngestApp {

    private IngestApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Before the first logger exists: the jars on this classpath bring logback.xml files of their own,
        // and the observatory has one configuration, soilobs-logback.xml in model.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "soilobs-logback.xml");
        }
        Logger log = LoggerFactory.getLogger(IngestApp.class);
        IngestConfig config;
        try {
            config = IngestConfig.fromEnv();
        } catch (IllegalArgumentException e) {
            log.error("Invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Running running;
        try {
            running = start(config);
        } catch (RuntimeException e) {
            log.error("Ingest did not start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping ingest");
            running.close();
            stopped.countDown();
        }, "ingest-shutdown"));
        stopped.await();
    }

    /** Starts with a Prometheus registry of its own. */
    public static Running start(IngestConfig config) {
        return start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * Starts ingest and returns once the sensor registry has caught up and the MQTT subscription is in
     * place.
     *
     * @param meters where ingest registers its meters, e.g. a registry the caller serves on {@code /metrics}
     * @throws IllegalStateException if that takes longer than {@link IngestConfig#startupTimeout()}
     */
    public static Running start(IngestConfig config, PrometheusMeterRegistry meters) {
        Objects.requireNonNull(config, "config");
        Logger log = LoggerFactory.getLogger(IngestApp.class);
        log.info("Starting ingest with {}", config);
        SensorRegistry registry = new SensorRegistry();
        IngestMetrics metrics = new IngestMetrics(meters);
        RegistryFollower follower = new RegistryFollower(config.kafkaBootstrap(), config.clientId() + "-registry",
                registry);
        List<MqttKafkaBridge> bridges = new ArrayList<>();
        try {
            follower.start();
            if (!follower.awaitCaughtUp(config.startupTimeout())) {
                throw new IllegalStateException("the sensor registry did not catch up with the Kafka topic within "
                        + config.startupTimeout() + " (is " + config.kafkaBootstrap() + " reachable?)");
            }
            PayloadDecoding decoding = PayloadDecoding.allFormats(registry, config.maxPayloadBytes(),
                    config.futureTolerance());
            for (MqttSource source : config.sources()) {
                MqttKafkaBridge bridge = new MqttKafkaBridge(config, source, decoding,
                        () -> new KafkaProducer<>(KafkaSettings.producerProperties(config.kafkaBootstrap(),
                                source.clientId() + "-producer")),
                        metrics, Clock.systemUTC());
                bridges.add(bridge);
                bridge.start();
            }
            for (int i = 0; i < bridges.size(); i++) {
                if (!bridges.get(i).awaitConnected(config.startupTimeout())) {
                    throw new IllegalStateException("no MQTT connection to source " + config.sources().get(i).name()
                            + " at " + config.sources().get(i).url() + " within " + config.startupTimeout());
                }
            }
            log.info("Ingest running: {} sensors registered, bridging {} into Kafka {}", registry.size(),
                    config.sources().stream().map(source -> source.name() + " " + source.url() + " "
                            + source.topicFilter()).toList(), config.kafkaBootstrap());
            return new Running(config, registry, follower, bridges, metrics, meters);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(bridges, follower);
            throw new IllegalStateException("interrupted while starting ingest", e);
        } catch (RuntimeException e) {
            closeAll(bridges, follower);
            throw e;
        }
    }

    private static void closeAll(List<MqttKafkaBridge> bridges, RegistryFollower follower) {
        bridges.forEach(MqttKafkaBridge::close);
        follower.close();
    }

    /** A started ingest; closing it stops it cleanly (see {@link MqttKafkaBridge#close()}). */
    public static final class Running implements AutoCloseable {

        private final IngestConfig config;
        private final SensorRegistry registry;
        private final RegistryFollower follower;
        private final List<MqttKafkaBridge> bridges;
        private final IngestMetrics metrics;
        private final PrometheusMeterRegistry meters;

        private Running(IngestConfig config, SensorRegistry registry, RegistryFollower follower,
                List<MqttKafkaBridge> bridges, IngestMetrics metrics, PrometheusMeterRegistry meters) {
            this.config = config;
            this.registry = registry;
            this.follower = follower;
            this.bridges = List.copyOf(bridges);
            this.metrics = metrics;
            this.meters = meters;
        }

        public IngestConfig config() {
            return config;
        }

        public SensorRegistry registry() {
            return registry;
        }

        public IngestMetrics metrics() {
            return metrics;
        }

        /** For a {@code /metrics} endpoint: {@code meterRegistry().scrape()}. */
        public PrometheusMeterRegistry meterRegistry() {
            return meters;
        }

        /** Whether every source is connected. */
        public boolean isConnected() {
            return bridges.stream().allMatch(MqttKafkaBridge::isConnected);
        }

        @Override
        public void close() {
            closeAll(bridges, follower);
            LoggerFactory.getLogger(IngestApp.class).info("Ingest stopped: {} messages received, {} acknowledged, "
                    + "{} readings forwarded, {} rejections", metrics.receivedMessages(), metrics.ackedMessages(),
                    metrics.forwardedReadings(), metrics.rejections());
        }
    }
}
