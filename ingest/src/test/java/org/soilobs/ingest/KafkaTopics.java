package org.soilobs.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.soilobs.model.Json;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;

/** Reading and writing the observatory's topics from tests. */
final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Registers (or, with a null sensor, removes) sensors in {@link Topics#SENSORS}. */
    static void register(String bootstrap, Map<String, Sensor> sensors) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (Map.Entry<String, Sensor> entry : sensors.entrySet()) {
                byte[] value = entry.getValue() == null ? null : Json.mapper().writeValueAsBytes(entry.getValue());
                producer.send(new ProducerRecord<>(Topics.SENSORS, entry.getKey(), value)).get();
            }
        }
    }

    /**
     * Reads {@code topic} from the beginning until {@code done} holds for what was read, or until
     * {@code patience} has passed (then the caller's assertions tell what is missing).
     */
    static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrap, String topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration patience) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant giveUp = Instant.now().plus(patience);
            while (!done.test(records) && Instant.now().isBefore(giveUp)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
