package org.soilobs.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A dead letter in {@code soil.readings.rejected}: what could not be accepted, and why.
 *
 * @param reason a stable machine-readable code, e.g. {@code malformed_json}, {@code unknown_sensor}
 * @param detail a human-readable explanation
 * @param source the MQTT source (broker connection) or stage that rejected it
 * @param topic the MQTT topic (or Kafka topic, for rejections inside streams) it arrived on
 * @param index position of the rejected reading inside its message, or -1 when the whole message was
 *     rejected
 * @param payloadBase64 the original bytes, base64: the whole message, or the rejected reading's own JSON
 */
public record Rejection(
        String reason,
        String detail,
        String source,
        String topic,
        Instant receivedAt,
        int index,
        String payloadBase64) {

    public Rejection {
        Reading.requireText(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Reading.requireText(source, "source");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(payloadBase64, "payloadBase64");
        if (index < -1) {
            throw new IllegalArgumentException("index must be -1 or a position, was " + index);
        }
    }
}
