package org.soilobs.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.soilobs.ingest.IngestApp;
import org.soilobs.ingest.IngestConfig;
import org.soilobs.ingest.bridge.GatewayTopic;
import org.soilobs.ingest.bridge.KafkaSettings;
import org.soilobs.ingest.bridge.NoDelaySocketFactory;
import org.soilobs.model.Json;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedMqttBroker;

/**
 * Ingest alone, MQTT → Kafka, in readings per second with 50-reading canonical batches, next to its two
 * raw baselines measured in the same run on the same servers: the Kafka producer alone (the same record
 * size, {@code acks=all}, idempotent, ingest's producer settings) and MQTT publish → subscribe alone
 * (the same batches at QoS 1 through the same broker, counted in readings they carry).
 *
 * <p>Gateways publish at QoS 1 with as many messages in flight as the broker allows; a run is timed from
 * the first publish until ingest has acknowledged the last message to the broker, which it does only
 * after Kafka acknowledged all of its readings. A warm-up run precedes each measurement.
 *
 * <p>Usage: {@code ./observatory bench ingest [messages per run, default 4000]}.
 */
public final class IngestBench {

    static final int READINGS_PER_BATCH = 50;
    static final int GATEWAYS = 4;
    private static final int SENSORS_PER_GATEWAY = 10;
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
        BenchReport report = new BenchReport("ingest");
        Path dataDir = Files.createTempDirectory("ingest-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
                EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dataDir.resolve("mqtt"))) {
            kafka.createTopics(List.of(
                    new NewTopic(Topics.SENSORS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(Topics.READINGS_RAW, 4, (short) 1),
                    new NewTopic(Topics.READINGS_REJECTED, 1, (short) 1),
                    new NewTopic("bench.baseline", 4, (short) 1)));
            registerSensors(kafka.bootstrapServers());

            int recordBytes = recordBytes();
            long records = (long) messages * READINGS_PER_BATCH;
            kafkaAlone(kafka.bootstrapServers(), recordBytes, records / 5);
            double kafkaRate = kafkaAlone(kafka.bootstrapServers(), recordBytes, records);
            report.add("Kafka producer alone", kafkaRate, "records/s", records + " records of " + recordBytes
                    + " B (a Reading's JSON), acks=all, idempotent, lz4, linger 5 ms: ingest's producer settings");

            mqttAlone(broker.url(), messages / 5);
            double mqttRate = mqttAlone(broker.url(), messages);
            report.add("MQTT publish → subscribe alone", mqttRate * READINGS_PER_BATCH, "readings/s", messages
                    + " batches of " + READINGS_PER_BATCH + " readings (" + rounded(mqttRate) + " messages/s) at QoS 1 "
                    + "through the embedded HiveMQ, " + GATEWAYS + " publishers, one shared subscriber acking "
                    + "automatically");

            IngestConfig config = IngestConfig.of(broker.url(), kafka.bootstrapServers()).withClientId("ingest-bench");
            try (IngestApp.Running ingest = IngestApp.start(config)) {
                ingestRun(broker.url(), ingest, 0, messages / 5);
                double rate = ingestRun(broker.url(), ingest, messages / 5, messages);
                report.add("ingest MQTT → Kafka", rate * READINGS_PER_BATCH, "readings/s", messages + " batches of "
                        + READINGS_PER_BATCH + " readings (" + rounded(rate) + " messages/s), decoded, checked "
                        + "against the registry, sent to soil.readings.raw and acknowledged to the broker after "
                        + "Kafka's ack; receive maximum " + config.receiveMaximum() + "; aim 100 000 readings/s");
                report.add("ingest readings forwarded", ingest.metrics().forwardedReadings(), "readings",
                        "including the warm-up; rejections: " + ingest.metrics().rejections());
            }
        }
        report.add("system load average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                "runnable tasks", "1-minute average at the end of the run, on " + Runtime.getRuntime()
                        .availableProcessors() + " cores: above that, the figures measure a shared machine");
        report.write();
    }

    private static String rounded(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    private static void registerSensors(String bootstrap) throws Exception {
        Properties props = KafkaSettings.producerProperties(bootstrap, "bench-registry");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int g = 0; g < GATEWAYS; g++) {
                for (int s = 0; s < SENSORS_PER_GATEWAY; s++) {
                    Sensor sensor = new Sensor(sensor(g, s), gateway(g), "field-" + g, "canonical");
                    producer.send(new ProducerRecord<>(Topics.SENSORS, sensor.id(), Json.mapper()
                            .writeValueAsBytes(sensor))).get();
                }
            }
        }
    }

    private static String gateway(int g) {
        return "gw-bench-" + g;
    }

    private static String sensor(int g, int s) {
        return "bench-" + g + "-" + s;
    }

    static int recordBytes() throws Exception {
        Reading reading = new Reading(gateway(0), 123_456, sensor(0, 0), "field-0", Quantity.SOIL_TEMPERATURE,
                BASE, 12.34, 0, 10, Instant.now());
        return Json.mapper().writeValueAsBytes(reading).length;
    }

    /** Records per second of the Kafka producer alone into topic {@code bench.baseline}, which must exist. */
    static double kafkaAlone(String bootstrap, int recordBytes, long records) throws Exception {
        byte[] value = new byte[recordBytes];
        Arrays.fill(value, (byte) 'x');
        Properties props = KafkaSettings.producerProperties(bootstrap, "bench-baseline");
        CountDownLatch acked = new CountDownLatch(1);
        AtomicLong remaining = new AtomicLong(records);
        long began = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("bench.baseline", "sensor-" + (i % 40), value), (m, e) -> {
                    if (e != null) {
                        throw new IllegalStateException(e);
                    }
                    if (remaining.decrementAndGet() == 0) {
                        acked.countDown();
                    }
                });
            }
            if (!acked.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Kafka did not acknowledge " + remaining.get() + " records");
            }
        }
        return records / ((System.nanoTime() - began) / 1e9);
    }

    private static double mqttAlone(String url, int messages) throws Exception {
        return mqttAlone(url, messages, "soil");
    }

    /**
     * Messages per second through the broker alone, published to {@code <root>/v1/<gateway>/up}: beside a
     * running ingest, a root other than {@code soil} keeps ingest from receiving them.
     */
    static double mqttAlone(String url, int messages, String root) throws Exception {
        AtomicLong received = new AtomicLong();
        MqttAsyncClient subscriber = new MqttAsyncClient(url, "bench-subscriber-" + System.nanoTime(),
                new MemoryPersistence());
        subscriber.setCallback(new Counting(received));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(new NoDelaySocketFactory());
        options.setReceiveMaximum(1000);
        subscriber.connect(options).waitForCompletion(30_000);
        subscriber.subscribe(new MqttSubscription[] {new MqttSubscription("$share/bench/" + root + "/v1/+/up", 1)})
                .waitForCompletion(30_000);
        try {
            double seconds = publishAll(url, root, 0, messages, received::get);
            return messages / seconds;
        } finally {
            subscriber.disconnect().waitForCompletion(10_000);
            subscriber.close();
        }
    }

    private static double ingestRun(String url, IngestApp.Running ingest, int from, int messages) throws Exception {
        long ackedBefore = ingest.metrics().ackedMessages();
        double seconds = publishAll(url, "soil", from, messages, () -> ingest.metrics().ackedMessages() - ackedBefore);
        return messages / seconds;
    }

    /** Publishes {@code messages} batches from the gateways in parallel; seconds until {@code done} counts them all. */
    private static double publishAll(String url, String root, int from, int messages, LongSupplier done)
            throws Exception {
        List<List<byte[]>> payloads = new ArrayList<>();
        for (int g = 0; g < GATEWAYS; g++) {
            List<byte[]> mine = new ArrayList<>();
            for (int i = from + g; i < from + messages; i += GATEWAYS) {
                mine.add(batch(g, i));
            }
            payloads.add(mine);
        }
        ExecutorService publishers = Executors.newFixedThreadPool(GATEWAYS);
        Map<Integer, Publisher> clients = new LinkedHashMap<>();
        try {
            for (int g = 0; g < GATEWAYS; g++) {
                clients.put(g, connect(url, "bench-" + gateway(g) + "-" + System.nanoTime()));
            }
            long began = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (int g = 0; g < GATEWAYS; g++) {
                int gateway = g;
                runs.add(publishers.submit(() -> {
                    clients.get(gateway).publish(root + GatewayTopic.of(gateway(gateway)).substring("soil".length()),
                            payloads.get(gateway));
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
            Instant giveUp = Instant.now().plus(PATIENCE);
            while (done.getAsLong() < messages) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException("only " + done.getAsLong() + " of " + messages + " arrived");
                }
                Thread.sleep(1);
            }
            return (System.nanoTime() - began) / 1e9;
        } finally {
            publishers.shutdownNow();
            for (Publisher client : clients.values()) {
                client.close();
            }
        }
    }

    private static Publisher connect(String url, String clientId) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(new NoDelaySocketFactory());
        IMqttToken connected = client.connect(options);
        connected.waitForCompletion(30_000);
        Integer receiveMaximum = connected.getResponseProperties().getReceiveMaximum();
        return new Publisher(client, receiveMaximum == null ? 65_535 : receiveMaximum);
    }

    /** A gateway publishing at QoS 1 with as many messages in flight as the broker's receive maximum allows. */
    private record Publisher(MqttAsyncClient client, int receiveMaximum) {

        void publish(String topic, List<byte[]> payloads) throws Exception {
            Semaphore inFlight = new Semaphore(receiveMaximum);
            CountDownLatch answered = new CountDownLatch(payloads.size());
            for (byte[] payload : payloads) {
                inFlight.acquire();
                client.publish(topic, payload, 1, false, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        inFlight.release();
                        answered.countDown();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable exception) {
                        inFlight.release();
                        answered.countDown();
                    }
                });
            }
            if (!answered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the broker did not answer " + answered.getCount() + " publishes");
            }
        }

        void close() throws MqttException {
            client.disconnect().waitForCompletion(10_000);
            client.close();
        }
    }

    private static byte[] batch(int g, int seq) {
        StringBuilder json = new StringBuilder(64 * READINGS_PER_BATCH);
        json.append("{\"schema\":\"soil-readings/1\",\"gateway\":\"").append(gateway(g)).append("\",\"seq\":")
                .append(seq).append(",\"readings\":[");
        for (int r = 0; r < READINGS_PER_BATCH; r++) {
            if (r > 0) {
                json.append(',');
            }
            json.append("{\"sensor\":\"").append(sensor(g, r % SENSORS_PER_GATEWAY)).append("\",\"time\":\"")
                    .append(BASE.plusSeconds(seq)).append("\",\"quantity\":\"")
                    .append(r % 2 == 0 ? "soil_temperature" : "vwc").append("\",\"value\":")
                    .append(r % 2 == 0 ? "12.5" : "23.1").append(",\"unit\":\"").append(r % 2 == 0 ? "Cel" : "%")
                    .append("\",\"depth_cm\":[").append(r / 10 * 10).append(',').append(r / 10 * 10 + 10)
                    .append("]}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Counts what the subscriber receives (Paho acknowledges QoS 1 itself). */
    private record Counting(AtomicLong received) implements MqttCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.incrementAndGet();
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            // The run fails on its count if the subscriber is lost.
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // As above.
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // The subscriber publishes nothing.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // Connected once, in mqttAlone.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication.
        }
    }
}
