package org.soilobs.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples the lag of consumer groups every {@link #PERIOD_MS} ms: for each group, the committed offsets
 * ({@code listConsumerGroupOffsets}) against the partitions' last stable offsets ({@code listOffsets},
 * read_committed, which is what these exactly-once and read_committed consumers can reach). A window's
 * samples give its {@link LagTrend}.
 */
public final class LagMonitor implements AutoCloseable {

    static final long PERIOD_MS = 500;

    private final Admin admin;
    private final List<String> groups;
    private final Thread thread;
    private final Map<String, List<LagTrend.Sample>> samples = new HashMap<>();
    private volatile boolean running = true;
    private long windowStartNanos;

    private LagMonitor(String bootstrap, List<String> groups) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "bench-lag"));
        this.groups = List.copyOf(groups);
        this.thread = new Thread(this::run, "bench-lag");
        this.thread.setDaemon(true);
    }

    /**
     * The pipeline's consumer groups: every group whose id starts with the streams application id prefix
     * (one per streams job, whichever jobs the stack runs) and the sink's.
     */
    public static List<String> pipelineGroups(String bootstrap, String streamsPrefix, String sinkGroup)
            throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> groups = new ArrayList<>(admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).filter(id -> id.startsWith(streamsPrefix)).sorted().toList());
            groups.add(sinkGroup);
            return groups;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the consumer groups: " + e.getMessage(), e);
        }
    }

    public static LagMonitor start(String bootstrap, List<String> groups) {
        LagMonitor monitor = new LagMonitor(bootstrap, groups);
        monitor.beginWindow();
        monitor.thread.start();
        return monitor;
    }

    /** Forgets the samples so far; the next window's times count from now. */
    public synchronized void beginWindow() {
        samples.clear();
        groups.forEach(group -> samples.put(group, new ArrayList<>()));
        windowStartNanos = System.nanoTime();
    }

    /** Each group's trend since {@link #beginWindow()}; groups with fewer than two samples are left out. */
    public synchronized Map<String, LagTrend.Trend> trends() {
        Map<String, LagTrend.Trend> trends = new LinkedHashMap<>();
        samples.forEach((group, list) -> {
            if (list.size() >= 2) {
                trends.put(group, LagTrend.of(list));
            }
        });
        return trends;
    }

    /** The summed lag of every group now. */
    public long totalLag() throws InterruptedException {
        long total = 0;
        for (String group : groups) {
            long[] lag = lag(group);
            total += lag == null ? 0 : lag[0];
        }
        return total;
    }

    /** The summed last stable offsets of a topic's partitions: how many records it has taken in. */
    public long endOffsets(String topic) throws InterruptedException {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long sum = 0;
            for (ListOffsetsResult.ListOffsetsResultInfo info : admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS).values()) {
                sum += info.offset();
            }
            return sum;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getMessage(), e);
        }
    }

    private void run() {
        while (running) {
            long began = System.nanoTime();
            for (String group : groups) {
                try {
                    long[] lag = lag(group);
                    if (lag != null) {
                        synchronized (this) {
                            double seconds = (System.nanoTime() - windowStartNanos) / 1e9;
                            samples.get(group).add(new LagTrend.Sample(seconds, lag[0], lag[1]));
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // A broker hiccup costs one sample, not the run.
                }
            }
            long left = TimeUnit.MILLISECONDS.toNanos(PERIOD_MS) - (System.nanoTime() - began);
            if (left > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** [lag, summed end offsets] of a group, or null when it has committed nothing yet. */
    private long[] lag(String group) throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            if (committed.isEmpty()) {
                return null;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
            long lag = 0;
            long end = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                long last = ends.get(entry.getKey()).offset();
                end += last;
                if (entry.getValue() != null) {
                    lag += Math.max(0, last - entry.getValue().offset());
                }
            }
            return new long[] {lag, end};
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of group " + group + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
        admin.close();
    }
}
