package org.soilobs.streams.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.soilobs.model.Json;

/**
 * Reads JSON into a {@link Decoded} that is either the validated record or the reason it is not one.
 * The deserializer never throws: bytes that are not JSON, JSON that is not a valid record, and JSON
 * {@code null} all become {@link Decoded#malformed}. A Kafka tombstone (no bytes at all) stays
 * {@code null} so that tables still see deletions.
 */
public final class DecodingSerde<T> implements Serde<Decoded<T>> {

    /** Long enough for Jackson's explanation, short enough for a dead letter and a log line. */
    private static final int MAX_PROBLEM_LENGTH = 500;

    private final Class<T> type;
    private final int remembered;
    private final Map<ByteBuffer, Decoded<T>> decoded = new ConcurrentHashMap<>();

    private DecodingSerde(Class<T> type, int remembered) {
        this.type = type;
        this.remembered = remembered;
    }

    public static <T> DecodingSerde<T> of(Class<T> type) {
        return new DecodingSerde<>(type, 0);
    }

    /**
     * Remembers what up to {@code capacity} distinct payloads decoded to: for a store that is read far more
     * often than written (the field registry, looked up for every reading), where parsing the same JSON
     * again for every lookup is most of the join's cost. Past the capacity it starts afresh.
     */
    public static <T> DecodingSerde<T> remembering(Class<T> type, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        return new DecodingSerde<>(type, capacity);
    }

    /** Writes the bytes as they came, decoded or not, so a store holds exactly what the topic held. */
    @Override
    public Serializer<Decoded<T>> serializer() {
        return (topic, decoded) -> decoded == null ? null : decoded.payload();
    }

    @Override
    public Deserializer<Decoded<T>> deserializer() {
        if (remembered == 0) {
            return (topic, bytes) -> bytes == null ? null : decode(bytes);
        }
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer key = ByteBuffer.wrap(bytes);
            Decoded<T> known = decoded.get(key);
            if (known == null) {
                byte[] own = bytes.clone();
                known = decode(own);
                if (decoded.size() >= remembered) {
                    decoded.clear();
                }
                decoded.put(ByteBuffer.wrap(own), known);
            }
            return known;
        };
    }

    private Decoded<T> decode(byte[] bytes) {
        try {
            T value = Json.mapper().readValue(bytes, type);
            if (value == null) {
                return Decoded.malformed(bytes, "JSON null is not a " + type.getSimpleName());
            }
            return Decoded.ok(value, bytes);
        } catch (IOException | RuntimeException e) {
            return Decoded.malformed(bytes, describe(e));
        }
    }

    /**
     * The validation message of the record's constructor when that is what failed (it names the rule),
     * otherwise Jackson's message without the source excerpt, which would repeat the payload.
     */
    private String describe(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message;
        if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
            message = "invalid " + type.getSimpleName() + ": " + cause.getMessage();
        } else if (e instanceof JsonProcessingException json) {
            message = json.getOriginalMessage();
        } else {
            message = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return message.length() <= MAX_PROBLEM_LENGTH ? message : message.substring(0, MAX_PROBLEM_LENGTH) + "…";
    }
}
