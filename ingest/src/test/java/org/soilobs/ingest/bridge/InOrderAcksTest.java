package org.soilobs.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InOrderAcksTest {

    private final List<Integer> acked = Collections.synchronizedList(new ArrayList<>());
    private final InOrderAcks acks = new InOrderAcks((id, qos) -> acked.add(id));

    @Test
    void completionsOutOfOrderReleaseAcksInReceiveOrder() {
        InOrderAcks.Entry first = acks.received(1, 1, 1);
        InOrderAcks.Entry second = acks.received(2, 1, 1);
        InOrderAcks.Entry third = acks.received(3, 1, 1);

        third.sent();
        second.sent();
        assertThat(acked).isEmpty();
        assertThat(acks.inFlight()).isEqualTo(3);

        first.sent();
        assertThat(acked).containsExactly(1, 2, 3);
        assertThat(acks.inFlight()).isZero();
    }

    @Test
    void aMessageWaitsForAllOfItsSends() {
        InOrderAcks.Entry batch = acks.received(7, 1, 3);

        batch.sent();
        batch.sent();
        assertThat(acked).isEmpty();

        batch.sent();
        assertThat(acked).containsExactly(7);
    }

    @Test
    void aMessageWithoutSendsIsAckedAtOnceWhenNothingIsAheadOfIt() {
        acks.received(4, 1, 0);

        assertThat(acked).containsExactly(4);
    }

    @Test
    void aMessageWithoutSendsStillWaitsForTheMessagesBeforeIt() {
        InOrderAcks.Entry pending = acks.received(1, 1, 2);
        acks.received(2, 1, 0);
        assertThat(acked).isEmpty();

        pending.sent();
        pending.sent();
        assertThat(acked).containsExactly(1, 2);
    }

    @Test
    void aHeadThatNeverCompletesHoldsBackEverythingBehindIt() {
        acks.received(1, 1, 1);
        for (int id = 2; id <= 100; id++) {
            acks.received(id, 1, 1).sent();
        }

        assertThat(acked).isEmpty();
        assertThat(acks.inFlight()).isEqualTo(100);
    }

    @Test
    void afterCloseNothingIsAckedAnyMore() {
        InOrderAcks.Entry first = acks.received(1, 1, 1);
        InOrderAcks.Entry second = acks.received(2, 1, 1);
        second.sent();

        assertThat(acks.close()).isEqualTo(2);
        first.sent();
        acks.received(3, 1, 0);

        assertThat(acked).isEmpty();
        assertThat(acks.inFlight()).isZero();
        assertThat(acks.close()).isZero();
    }

    @Test
    void passesTheQosThrough() {
        List<String> calls = new ArrayList<>();
        InOrderAcks withQos = new InOrderAcks((id, qos) -> calls.add(id + "@" + qos));

        withQos.received(5, 0, 0);
        withQos.received(6, 1, 0);

        assertThat(calls).containsExactly("5@0", "6@1");
    }

    @Test
    void refusesMoreCompletionsThanSends() {
        InOrderAcks.Entry pending = acks.received(1, 1, 2);
        acks.received(2, 1, 1);
        pending.sent();
        pending.sent();

        assertThatThrownBy(pending::sent).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void completionsRacingOnManyThreadsStillAckInReceiveOrder() throws InterruptedException {
        int messages = 20_000;
        List<InOrderAcks.Entry> entries = new ArrayList<>();
        for (int id = 0; id < messages; id++) {
            entries.add(acks.received(id, 1, 2));
        }
        List<Runnable> completions = new ArrayList<>();
        for (InOrderAcks.Entry entry : entries) {
            completions.add(entry::sent);
            completions.add(entry::sent);
        }
        Collections.shuffle(completions, new Random(42));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(completions.size());
        completions.forEach(completion -> pool.execute(() -> {
            completion.run();
            done.countDown();
        }));
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();

        assertThat(acked).hasSize(messages);
        for (int i = 0; i < messages; i++) {
            assertThat(acked.get(i)).isEqualTo(i);
        }
    }
}
