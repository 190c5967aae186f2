package org.soilobs.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.soilobs.ingest.Generators.between;
import static org.soilobs.ingest.Generators.forAll;
import static org.soilobs.ingest.Generators.listOf;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Messages with some sends each, completed in arbitrary orders: acks leave in receive order, all of them. */
class InOrderAcksPropertiesTest {

    private static final int WORKERS = 3;
    private static final Runnable END = () -> { };

    @Test
    void acksAreAlwaysAPrefixOfTheReceiveOrderAndEndComplete() {
        forAll(0x1A_0CC5_5EED_0001L, 10_000, random -> {
            List<Integer> sendsPerMessage = listOf(random, 30, r -> between(r, 0, 4));
            List<Integer> completionOrder = listOf(random, 120, r -> between(r, 0, 10_000));

            List<Integer> acked = new ArrayList<>();
            InOrderAcks acks = new InOrderAcks((id, qos) -> acked.add(id));
            List<InOrderAcks.Entry> entries = new ArrayList<>();
            List<Integer> remaining = new ArrayList<>(sendsPerMessage);
            List<Integer> pendingIds = new ArrayList<>();
            for (int id = 0; id < sendsPerMessage.size(); id++) {
                entries.add(acks.received(id, 1, sendsPerMessage.get(id)));
                for (int s = 0; s < sendsPerMessage.get(id); s++) {
                    pendingIds.add(id);
                }
            }
            for (int pick : completionOrder) {
                if (pendingIds.isEmpty()) {
                    break;
                }
                int id = pendingIds.remove(pick % pendingIds.size());
                entries.get(id).sent();
                remaining.set(id, remaining.get(id) - 1);

                int expectedPrefix = 0;
                while (expectedPrefix < remaining.size() && remaining.get(expectedPrefix) == 0) {
                    expectedPrefix++;
                }
                assertThat(acked).hasSize(expectedPrefix);
            }
            while (!pendingIds.isEmpty()) {
                entries.get(pendingIds.remove(0)).sent();
            }
            assertThat(acked).isEqualTo(IntStream.range(0, entries.size()).boxed().toList());
            assertThat(acks.inFlight()).isZero();
        });
    }

    /**
     * As in the bridge: one thread receives while others complete sends, each holding back a random few
     * to complete them out of order. The seed fixes the scenario; how the threads interleave is up to
     * the scheduler, so each run races anew.
     */
    @Test
    void acksLeaveInReceiveOrderWhileReceivingAndCompletingRaceOnSeveralThreads() {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            forAll(0x1A_0CC5_5EED_0002L, 500, random -> race(random, pool));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void race(SplittableRandom random, ExecutorService pool) throws Exception {
        List<Integer> sends = listOf(random, 300, r -> between(r, 0, 4));
        AtomicIntegerArray completed = new AtomicIntegerArray(sends.size());
        // The acker runs under the InOrderAcks lock: these lists need no other.
        List<Integer> acked = new ArrayList<>();
        List<Integer> ackedBeforeAllSends = new ArrayList<>();
        InOrderAcks acks = new InOrderAcks((id, qos) -> {
            acked.add(id);
            if (completed.get(id) != sends.get(id)) {
                ackedBeforeAllSends.add(id);
            }
        });

        List<BlockingQueue<Runnable>> queues = new ArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
            SplittableRandom workerRandom = random.split();
            int window = between(random, 0, 8);
            queues.add(queue);
            workers.add(pool.submit(() -> {
                completeHoldingBack(queue, window, workerRandom);
                return null;
            }));
        }
        for (int id = 0; id < sends.size(); id++) {
            int messageId = id;
            InOrderAcks.Entry entry = acks.received(messageId, 1, sends.get(messageId));
            for (int s = 0; s < sends.get(messageId); s++) {
                queues.get(random.nextInt(WORKERS)).put(() -> {
                    completed.incrementAndGet(messageId);
                    entry.sent();
                });
            }
        }
        for (BlockingQueue<Runnable> queue : queues) {
            queue.put(END);
        }
        for (Future<?> worker : workers) {
            // A guard against a hang, not a speed limit.
            worker.get(60, TimeUnit.SECONDS);
        }

        assertThat(ackedBeforeAllSends).as("acked before all their sends completed").isEmpty();
        assertThat(acked).isEqualTo(IntStream.range(0, sends.size()).boxed().toList());
        assertThat(acks.inFlight()).isZero();
    }

    private static void completeHoldingBack(BlockingQueue<Runnable> queue, int window, SplittableRandom random)
            throws InterruptedException {
        List<Runnable> held = new ArrayList<>();
        for (Runnable next = queue.take(); next != END; next = queue.take()) {
            held.add(next);
            while (held.size() > window) {
                held.remove(random.nextInt(held.size())).run();
            }
        }
        while (!held.isEmpty()) {
            held.remove(random.nextInt(held.size())).run();
        }
    }
}
