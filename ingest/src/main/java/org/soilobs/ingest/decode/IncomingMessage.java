package org.soilobs.ingest.decode;

import java.time.Instant;
import java.util.Objects;

/**
 * One message as a source received it, before decoding.
 *
 * <p>The payload array is not copied (messages are large and short-lived): neither side may change it.
 *
 * @param source the name of the source (broker connection) it came from, written into rejections
 * @param topic the MQTT topic it arrived on
 * @param gateway the gateway the transport vouches for (the MQTT topic of the observatory's own broker
 *     names it, and the broker's ACL ties it to the publisher's username), or null when the source names
 *     none; a payload claiming another gateway is rejected
 * @param payload the bytes as received
 * @param receivedAt when ingest received it; also the reference for "from the future"
 */
public record IncomingMessage(String source, String topic, String gateway, byte[] payload, Instant receivedAt) {

    public IncomingMessage {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
