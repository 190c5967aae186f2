package org.soilobs.streams;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.soilobs.model.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline topics of {@link Topics} if they are missing. Streams' own internal topics
 * (repartition, changelog) are left to Streams.
 *
 * <p>Aggregates are upserts of the full state under their {@link org.soilobs.model.AggregateKey}, and the
 * registries are upserts by id, so those topics are compacted: the latest value per key is all a reader
 * (the sink, a GlobalKTable) ever needs. Readings and dead letters are events and expire by time.
 */
public final class TopicBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrap.class);

    private static final Map<String, String> COMPACTED = Map.of(
            Topics.AGGREGATES, TopicConfig.CLEANUP_POLICY_COMPACT,
            Topics.PROGRESS, TopicConfig.CLEANUP_POLICY_COMPACT,
            Topics.FIELDS, TopicConfig.CLEANUP_POLICY_COMPACT,
            Topics.SENSORS, TopicConfig.CLEANUP_POLICY_COMPACT);

    private TopicBootstrap() {
    }

    /** Every pipeline topic with its partitions, replication and cleanup policy. */
    public static List<NewTopic> topics(int partitions, short replication) {
        return List.of(Topics.READINGS_RAW, Topics.READINGS_REJECTED, Topics.READINGS_CLEAN, Topics.READINGS_LATE,
                        Topics.AGGREGATES, Topics.PROGRESS,
                        Topics.FIELDS, Topics.SENSORS)
                .stream()
                .map(name -> new NewTopic(name, partitions, replication).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        COMPACTED.getOrDefault(name, TopicConfig.CLEANUP_POLICY_DELETE),
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                        String.valueOf(minInSyncReplicas(replication)))))
                .toList();
    }

    /**
     * Creates what is missing; a topic that already exists is left as it is, so that several jobs (and
     * several instances) may all call this at start.
     */
    public static void ensure(Admin admin, int partitions, short replication) {
        CreateTopicsResult result = admin.createTopics(topics(partitions, replication));
        for (Map.Entry<String, KafkaFuture<Void>> topic : result.values().entrySet()) {
            try {
                topic.getValue().get();
                LOG.info("created topic {} ({} partitions, replication {})", topic.getKey(), partitions, replication);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.getKey(), e.getCause());
                }
                LOG.debug("topic {} exists", topic.getKey());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + topic.getKey(), e);
            }
        }
    }

    /** One replica may be down without stopping writes (2 of 3 in production); a single broker needs 1. */
    static int minInSyncReplicas(short replication) {
        return Math.max(1, Math.min(2, replication - 1));
    }
}
