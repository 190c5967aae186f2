package org.soilobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StageCpuTest {

    /** Names as a thread dump of the running stack shows them. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "sim-publish; simulator",
        "sim-generate; simulator",
        "MQTT Snd: bench-sim-3; simulator",
        "bench-marker-db; bench probes",
        "MQTT Rec: bench-marker; bench probes",
        "kafka-admin-client-thread | bench-lag; bench probes",
        "MQTT Call: ingest-1; ingest",
        "kafka-producer-network-thread | ingest-1; ingest",
        "ingest-registry-follower; ingest",
        "soilobs-enrich-3f1c2a4e-1b2c-4d5e-8f90-123456789abc-StreamThread-1; streams",
        "kafka-producer-network-thread | soilobs-aggregate-3f1c2a4e-1b2c-4d5e-8f90-123456789abc-StreamThread-1-producer; streams",
        "soilobs-enrich-3f1c2a4e-1b2c-4d5e-8f90-123456789abc-GlobalStreamThread; streams",
        "kafka-producer-network-thread | soilobs-carbon-3f1c2a4e-1b2c-4d5e-8f90-123456789abc-StreamThread-1-producer; streams",
        "sink; sink",
        "sink-writer; sink",
        "kafka-coordinator-heartbeat-thread | soilobs-sink; sink",
        "JettyServerThreadPool-42; api",
        "observatory-api-layer-versions; api",
        "observatory:housekeeper; connection pool (sink, api)",
        "single-writer-2; mqtt broker",
        "hivemq-eventloop-child-1; mqtt broker",
        "Exodus shared background cleaner; mqtt broker",
        "data-plane-kafka-request-handler-3; kafka broker",
        "kafka-1-raft-io-thread; kafka broker",
        "group-coordinator-event-processor-0; kafka broker",
        "TxnMarkerSenderThread-1; kafka broker",
        "ExpirationReaper-1-Produce; kafka broker",
        "Scheduler-1650968101-1; api",
        "Keep-Alive-Timer; bench probes",
        "Finalizer; " + StageCpu.OTHER,
    })
    void groupsThreadsByTheNamesTheComponentsGiveThem(String thread, String stage) {
        assertThat(StageCpu.stageOf(thread)).isEqualTo(stage);
    }

    @Test
    void anUnknownNameBelongsToNoStage() {
        assertThat(StageCpu.stageOf("pool-7-thread-1")).isNull();
    }

    @Test
    void aWindowChargesEachThreadWhatItUsedAndTheRestToTheJvm() {
        StageCpu.Snapshot start = new StageCpu.Snapshot(Map.of(1L, 100L, 2L, 50L),
                Map.of(1L, "sink", 2L, "pool-7-thread-1"), 1_000);
        // Thread 3 was born within the window; the process used 900 ns of which threads account for 600.
        StageCpu.Snapshot end = new StageCpu.Snapshot(Map.of(1L, 400L, 2L, 150L, 3L, 200L),
                Map.of(1L, "sink", 2L, "pool-7-thread-1", 3L, "JettyServerThreadPool-9"), 1_900);
        StageCpu.Window window = StageCpu.between(start, end);
        assertThat(window.stageNanos()).containsEntry("sink", 300L).containsEntry("api", 200L)
                .containsEntry("unnamed threads", 100L).containsEntry(StageCpu.OTHER, 300L);
        assertThat(window.unmatched()).containsExactly("pool-N-thread-N");
    }
}
