package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.model.Topics;

class TopicBootstrapTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            Topics.READINGS_RAW + ", delete",
            Topics.READINGS_REJECTED + ", delete",
            Topics.READINGS_CLEAN + ", delete",
            Topics.READINGS_LATE + ", delete",
            Topics.AGGREGATES + ", compact",
            Topics.PROGRESS + ", compact",
            Topics.FIELDS + ", compact",
            Topics.SENSORS + ", compact"})
    void compactsOnlyTheTopicsKeyedForUpserts(String topic, String cleanupPolicy) {
        Map<String, NewTopic> topics = TopicBootstrap.topics(6, (short) 3).stream()
                .collect(Collectors.toMap(NewTopic::name, t -> t));

        assertThat(topics).hasSize(8);
        assertThat(topics.get(topic).configs()).containsEntry("cleanup.policy", cleanupPolicy)
                .containsEntry("min.insync.replicas", "2");
        assertThat(topics.get(topic).numPartitions()).isEqualTo(6);
        assertThat(topics.get(topic).replicationFactor()).isEqualTo((short) 3);
    }

    @ParameterizedTest(name = "replication {0} → min ISR {1}")
    @CsvSource({"1, 1", "2, 1", "3, 2", "5, 2"})
    void keepsWritingWithOneReplicaDown(short replication, int minInSync) {
        assertThat(TopicBootstrap.minInSyncReplicas(replication)).isEqualTo(minInSync);
    }
}
