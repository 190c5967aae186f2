package org.soilobs.streams.serde;

import java.util.Objects;

/**
 * What {@link DecodingSerde} made of a record's bytes: the value, or why there is none. Decoding never
 * throws, so a poison record reaches the topology and can be dead-lettered instead of stopping a thread.
 */
public final class Decoded<T> {

    private final T value;
    private final byte[] payload;
    private final String problem;

    private Decoded(T value, byte[] payload, String problem) {
        this.value = value;
        this.payload = payload;
        this.problem = problem;
    }

    public static <T> Decoded<T> ok(T value, byte[] payload) {
        return new Decoded<>(Objects.requireNonNull(value, "value"), Objects.requireNonNull(payload, "payload"), null);
    }

    public static <T> Decoded<T> malformed(byte[] payload, String problem) {
        return new Decoded<>(null, Objects.requireNonNull(payload, "payload"), Objects.requireNonNull(problem, "problem"));
    }

    public boolean isOk() {
        return problem == null;
    }

    /** The decoded value; only for {@link #isOk()} results. */
    public T value() {
        if (!isOk()) {
            throw new IllegalStateException("no value: " + problem);
        }
        return value;
    }

    /** The bytes as they arrived, kept so that a dead letter can carry them even after decoding succeeded. */
    public byte[] payload() {
        return payload.clone();
    }

    /** Why the bytes did not decode; only for results that are not {@link #isOk()}. */
    public String problem() {
        if (isOk()) {
            throw new IllegalStateException("decoded fine");
        }
        return problem;
    }
}
