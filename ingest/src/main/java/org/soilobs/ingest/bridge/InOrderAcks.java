package org.soilobs.ingest.bridge;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The messages of one MQTT connection that are received but not yet acknowledged, in receive order.
 *
 * <p>A message is done when all of its Kafka sends are acknowledged. Acks are released only from the
 * head: a done message waits for every message received before it, because MQTT requires PUBACKs in
 * the order the PUBLISHes arrived and because a PUBACK tells the broker it may forget the message.
 * After {@link #close()} nothing is acked any more: the broker redelivers what is left once the client
 * has reconnected.
 *
 * <p>Thread-safe. The {@link Acker} runs under this object's lock, so acks leave in order even when
 * completions race on several threads; it must not block.
 */
public final class InOrderAcks {

    /** Releases the acknowledgement of one message, e.g. {@code client.messageArrivedComplete(id, qos)}. */
    @FunctionalInterface
    public interface Acker {
        void ack(int messageId, int qos);
    }

    /** One received message. */
    public final class Entry {
        private final int messageId;
        private final int qos;
        private int pendingSends;

        private Entry(int messageId, int qos, int pendingSends) {
            this.messageId = messageId;
            this.qos = qos;
            this.pendingSends = pendingSends;
        }

        public int messageId() {
            return messageId;
        }

        /** One of this message's sends was acknowledged. */
        public void sent() {
            InOrderAcks.this.sent(this);
        }
    }

    private final Acker acker;
    private final Deque<Entry> queue = new ArrayDeque<>();
    private boolean closed;
    private long acked;

    public InOrderAcks(Acker acker) {
        this.acker = Objects.requireNonNull(acker, "acker");
    }

    /**
     * Registers a message in receive order. One without sends is done at once (and acked as soon as
     * everything before it is).
     *
     * @param sends how many Kafka sends must be acknowledged before the message is done
     */
    public synchronized Entry received(int messageId, int qos, int sends) {
        if (sends < 0) {
            throw new IllegalArgumentException("sends must not be negative: " + sends);
        }
        Entry entry = new Entry(messageId, qos, sends);
        if (!closed) {
            queue.addLast(entry);
            drain();
        }
        return entry;
    }

    private synchronized void sent(Entry entry) {
        if (closed) {
            return;
        }
        if (entry.pendingSends <= 0) {
            throw new IllegalStateException("message " + entry.messageId + " has no send pending");
        }
        entry.pendingSends--;
        if (entry.pendingSends == 0) {
            drain();
        }
    }

    private void drain() {
        while (!queue.isEmpty() && queue.peekFirst().pendingSends == 0) {
            Entry head = queue.removeFirst();
            acked++;
            acker.ack(head.messageId, head.qos);
        }
    }

    /**
     * Stops acking: what is still queued stays unacknowledged. Idempotent.
     *
     * @return how many received messages were left unacknowledged by this call
     */
    public synchronized int close() {
        closed = true;
        int left = queue.size();
        queue.clear();
        return left;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Messages received and not yet acked (0 once closed). */
    public synchronized int inFlight() {
        return queue.size();
    }

    /** Messages acked so far. */
    public synchronized long acked() {
        return acked;
    }
}
