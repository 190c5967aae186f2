package org.soilobs.streams.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
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

    private DecodingSerde(Class<T> type) {
        this.type = type;
    }

    public static <T> DecodingSerde<T> of(Class<T> type) {
        return new DecodingSerde<>(type);
    }

    /** Writes the bytes as they came, decoded or not, so a store holds exactly what the topic held. */
    @Override
    public Serializer<Decoded<T>> serializer() {
        return (topic, decoded) -> decoded == null ? null : decoded.payload();
    }

    @Override
    public Deserializer<Decoded<T>> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
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
