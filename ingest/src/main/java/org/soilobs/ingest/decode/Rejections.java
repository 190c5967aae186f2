package org.soilobs.ingest.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Base64;
import org.soilobs.model.Json;
import org.soilobs.model.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds dead letters; bad input is logged at DEBUG only, with its reason and never a stack trace. */
public final class Rejections {

    /**
     * How much of an oversized payload a dead letter keeps: enough to tell what it was, small enough
     * that the dead letter itself always fits into a Kafka record.
     */
    public static final int OVERSIZED_PAYLOAD_KEPT_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);
    private static final int MAX_QUOTED_CHARS = 80;

    private Rejections() {
    }

    /** The whole message, with all its bytes. */
    public static Rejection ofMessage(IncomingMessage message, RejectReason reason, String detail) {
        return ofMessage(message, reason, detail, message.payload());
    }

    /** The whole message, keeping only the given bytes of it (see {@link #OVERSIZED_PAYLOAD_KEPT_BYTES}). */
    static Rejection ofMessage(IncomingMessage message, RejectReason reason, String detail, byte[] kept) {
        LOG.debug("Rejected message on {} from {}: {} ({})", message.topic(), message.source(), reason, detail);
        return new Rejection(reason.code(), detail, message.source(), message.topic(), message.receivedAt(), -1,
                Base64.getEncoder().encodeToString(kept));
    }

    static Rejection oversized(IncomingMessage message, int limit) {
        byte[] payload = message.payload();
        byte[] kept = Arrays.copyOf(payload, Math.min(payload.length, OVERSIZED_PAYLOAD_KEPT_BYTES));
        return ofMessage(message, RejectReason.PAYLOAD_TOO_LARGE, payload.length + " bytes exceed the limit of "
                + limit + "; payload_base64 keeps the first " + kept.length + " bytes", kept);
    }

    /** One reading of a batch, with the reading's own JSON (re-serialised from the tree) as payload. */
    public static Rejection ofReading(IncomingMessage message, int index, JsonNode reading, RejectReason reason,
            String detail) {
        return ofReading(message, index, bytesOf(reading), reason, detail);
    }

    /** One reading of a batch, with the reading's original bytes as payload. */
    public static Rejection ofReading(IncomingMessage message, int index, byte[] reading, RejectReason reason,
            String detail) {
        LOG.debug("Rejected reading {} of message on {} from {}: {} ({})", index, message.topic(), message.source(),
                reason, detail);
        return new Rejection(reason.code(), detail, message.source(), message.topic(), message.receivedAt(), index,
                Base64.getEncoder().encodeToString(reading));
    }

    /** A value from the payload, quoted for a detail message and cut short if long. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() > MAX_QUOTED_CHARS ? value.substring(0, MAX_QUOTED_CHARS) + "…" : value;
        return '"' + cut + '"';
    }

    /** A JSON node from the payload, shown for a detail message and cut short if long. */
    public static String show(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        String text = node.toString();
        return text.length() > MAX_QUOTED_CHARS ? text.substring(0, MAX_QUOTED_CHARS) + "…" : text;
    }

    private static byte[] bytesOf(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            return new byte[0];
        }
    }
}
