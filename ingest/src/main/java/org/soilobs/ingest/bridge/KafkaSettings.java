package org.soilobs.ingest.bridge;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The producer settings the delivery chain depends on (DESIGN §2). */
public final class KafkaSettings {

    /**
     * LZ4 falls back to a pure-Java codec when no native library can be loaded (zstd-jni cannot), so it
     * works on every platform the JVM does.
     */
    public static final String COMPRESSION = "lz4";

    private KafkaSettings() {
    }

    public static Properties producerProperties(String bootstrapServers, String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // Written to every in-sync replica before the MQTT message is acknowledged.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Retries neither duplicate nor reorder records.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        // send() runs on Paho's callback thread: if Kafka stalls it, the MQTT keep-alive must not lapse first.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return props;
    }
}
