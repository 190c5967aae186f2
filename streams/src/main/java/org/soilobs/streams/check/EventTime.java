package org.soilobs.streams.check;

import java.time.Duration;
import java.time.Instant;
import org.soilobs.model.Reading;

/**
 * Which instants may become Kafka timestamps and window positions. Kafka timestamps are non-negative
 * epoch milliseconds and brokers refuse timestamps far ahead of their own clock
 * ({@code log.message.timestamp.after.max.ms}, one hour by default since Kafka 4.0); sensor clocks can
 * say anything.
 */
public final class EventTime {

    /** Returned for an instant that cannot be used. */
    public static final long NONE = -1;

    /**
     * How far a reading's time may lie after its arrival at ingest. Beyond it the clock is wrong, and
     * windowing the reading would push stream time ahead, close every open bucket early, and write
     * timestamps the broker refuses.
     */
    public static final Duration MAX_AHEAD_OF_ARRIVAL = Duration.ofMinutes(10);

    private EventTime() {
    }

    /** Epoch milliseconds of {@code time}, or {@link #NONE} before 1970 or beyond a long's range. */
    public static long millis(Instant time) {
        if (time.getEpochSecond() < 0) {
            return NONE;
        }
        try {
            return time.toEpochMilli();
        } catch (ArithmeticException e) {
            return NONE;
        }
    }

    /**
     * The reading's time as a window position, or {@link #NONE} when it cannot be one.
     *
     * @param arrival when the reading's record reached Kafka, epoch milliseconds: a time the broker
     *     accepted, unlike {@link Reading#receivedAt()}, which is only as good as ingest's clock
     */
    public static long windowable(Reading reading, long arrival) {
        long time = millis(reading.time());
        if (time == NONE || time - arrival > MAX_AHEAD_OF_ARRIVAL.toMillis()) {
            return NONE;
        }
        return time;
    }
}
