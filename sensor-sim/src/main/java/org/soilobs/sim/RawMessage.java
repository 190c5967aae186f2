package org.soilobs.sim;

import java.util.Objects;

/** A message as it goes on the wire, in any format, possibly deliberately malformed. */
public record RawMessage(String gateway, long seq, String topic, byte[] payload, int readingCount)
        implements GatewayMessage {

    public RawMessage {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (readingCount < 0) {
            throw new IllegalArgumentException("readingCount must not be negative");
        }
    }
}
