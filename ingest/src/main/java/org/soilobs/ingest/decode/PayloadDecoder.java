package org.soilobs.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One payload format (canonical JSON, SenML, The Things Stack, ChirpStack, …).
 *
 * <p>{@link PayloadDecoding} enforces the size limit and parses the JSON once, then offers the tree to
 * each decoder in turn: the first that {@linkplain #recognises recognises} it decodes it. Formats are
 * told apart by their content, never by topic, so one source may carry several.
 *
 * <p>Implementations are thread-safe and never throw: whatever the input, they return readings or
 * rejections with a {@link RejectReason}.
 */
public interface PayloadDecoder {

    /** A short stable name, e.g. {@code canonical}, for logs and metrics. */
    String format();

    /**
     * Whether this tree is in this decoder's format, judged by its shape only (which keys are there),
     * so that a broken message of this format still comes here and gets a precise reason.
     */
    boolean recognises(JsonNode root);

    /** Decodes a tree this decoder recognised. */
    DecodeResult decode(IncomingMessage message, JsonNode root);
}
