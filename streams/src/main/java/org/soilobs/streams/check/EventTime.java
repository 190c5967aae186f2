package org.soilobs.streams.check;

import java.time.Instant;

/** Kafka timestamps are non-negative epoch milliseconds; sensor clocks can say anything. */
public final class EventTime {

    /** Returned for an instant that no Kafka timestamp can hold. */
    public static final long UNREPRESENTABLE = -1;

    private EventTime() {
    }

    /** Epoch milliseconds of {@code time}, or {@link #UNREPRESENTABLE} before 1970 or beyond a long's range. */
    public static long millis(Instant time) {
        if (time.getEpochSecond() < 0) {
            return UNREPRESENTABLE;
        }
        try {
            return time.toEpochMilli();
        } catch (ArithmeticException e) {
            return UNREPRESENTABLE;
        }
    }
}
