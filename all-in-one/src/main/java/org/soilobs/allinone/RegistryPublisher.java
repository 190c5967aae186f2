package org.soilobs.allinone;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;

/**
 * Registers fields and sensors by writing them to the compacted registry topics, from which ingest,
 * streams and the sink learn them. Registration is idempotent: the topics keep the latest entry per id.
 */
public final class RegistryPublisher {

    private RegistryPublisher() {
    }

    public static void publish(String bootstrap, Collection<Field> fields, Collection<Sensor> sensors) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Field field : fields) {
                sent.add(producer.send(record(Topics.FIELDS, field.id(), field)));
            }
            for (Sensor sensor : sensors) {
                sent.add(producer.send(record(Topics.SENSORS, sensor.id(), sensor)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering the fleet", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("registering the fleet failed: " + e.getCause().getMessage(), e);
        }
    }


    private static ProducerRecord<byte[], byte[]> record(String topic, String key, Object value) {
        try {
            return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), Json.mapper().writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("registry entries are always serialisable", e);
        }
    }
}
