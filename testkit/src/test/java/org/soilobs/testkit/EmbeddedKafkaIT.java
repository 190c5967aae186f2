package org.soilobs.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.common.TransactionVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @TempDir
    Path dataDir;

    @Test
    void readCommittedConsumerSeesCommittedTransactionsAndNotAbortedOnes() throws Exception {
        EmbeddedKafka kafka = SharedInfra.kafka();
        String topic = "tx-" + UUID.randomUUID();
        kafka.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));

        try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "plot-1", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "plot-1", "committed"));
            producer.commitTransaction();
        }

        assertThat(readAll(kafka, topic, 1)).extracting(ConsumerRecord::value).containsExactly("committed");
    }

    @Test
    void creatingExistingTopicsAgainLeavesThemAsTheyAre() throws Exception {
        EmbeddedKafka kafka = SharedInfra.kafka();
        String topic = "idempotent-" + UUID.randomUUID();

        kafka.createTopics(List.of(new NewTopic(topic, 2, (short) 1)));
        kafka.createTopics(List.of(new NewTopic(topic, 6, (short) 1), new NewTopic(topic + "-other", 1, (short) 1)));

        try (Admin admin = admin(kafka)) {
            assertThat(admin.listTopics().names().get()).contains(topic, topic + "-other");
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(2);
        }
    }

    @Test
    void brokerRunsTransactionsV1EvenOnADirectoryThatHadV2() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir);
        try {
            assertThat(transactionVersion(kafka)).isEqualTo(TransactionVersion.TV_1.featureLevel());
            // What a log directory formatted before the choice of v1 carries.
            try (Admin admin = admin(kafka)) {
                admin.updateFeatures(Map.of(TransactionVersion.FEATURE_NAME,
                                new FeatureUpdate(TransactionVersion.TV_2.featureLevel(), FeatureUpdate.UpgradeType.UPGRADE)),
                        new UpdateFeaturesOptions()).all().get();
            }
            assertThat(transactionVersion(kafka)).isEqualTo(TransactionVersion.TV_2.featureLevel());
            kafka = kafka.restart();
            assertThat(transactionVersion(kafka)).isEqualTo(TransactionVersion.TV_1.featureLevel());
        } finally {
            kafka.close();
        }
    }

    private static short transactionVersion(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            return admin.describeFeatures().featureMetadata().get().finalizedFeatures()
                    .get(TransactionVersion.FEATURE_NAME).maxVersionLevel();
        }
    }

    @Test
    void restartOnTheSameDirectoryKeepsTopicsAndRecords() throws Exception {
        String topic = "kept";
        EmbeddedKafka first = EmbeddedKafka.start(dataDir);
        try {
            first.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "plot-7", "before restart")).get();
            }
        } finally {
            first.close();
        }
        first.close();

        try (EmbeddedKafka second = EmbeddedKafka.start(dataDir)) {
            try (Admin admin = admin(second)) {
                assertThat(admin.listTopics().names().get()).contains(topic);
                assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                        .as("num.partitions of the broker").hasSize(4);
            }
            assertThat(readAll(second, topic, 1)).extracting(ConsumerRecord::value).containsExactly("before restart");
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "testkit-" + UUID.randomUUID(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer());
    }

    /** Reads until {@code expected} records arrived or 30 s passed, then polls once more to catch extras. */
    private static List<ConsumerRecord<String, String>> readAll(EmbeddedKafka kafka, String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "testkit-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
