package org.soilobs.ingest.decode;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoding seam: size limit, one JSON parse, format detection by content, then the matching
 * {@link PayloadDecoder}. Never throws.
 */
public final class PayloadDecoding {

    /** Default upper bound of a message, checked before parsing. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(PayloadDecoding.class);

    private final List<PayloadDecoder> decoders;
    private final int maxPayloadBytes;

    /** @param decoders asked in this order; the first that recognises a payload decodes it */
    public PayloadDecoding(List<PayloadDecoder> decoders, int maxPayloadBytes) {
        if (decoders.isEmpty()) {
            throw new IllegalArgumentException("at least one decoder is needed");
        }
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, was " + maxPayloadBytes);
        }
        this.decoders = List.copyOf(decoders);
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Every format ingest reads: canonical batch, SenML, The Things Stack v3, ChirpStack v4. */
    public static PayloadDecoding allFormats(SensorRegistry registry, int maxPayloadBytes, Duration futureTolerance) {
        return new PayloadDecoding(List.of(
                new CanonicalDecoder(registry, maxPayloadBytes, futureTolerance),
                new SenmlDecoder(registry, futureTolerance),
                new TtnUplinkDecoder(registry, futureTolerance),
                new ChirpstackUplinkDecoder(registry, futureTolerance)), maxPayloadBytes);
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public DecodeResult decode(IncomingMessage message) {
        byte[] payload = message.payload();
        if (payload.length > maxPayloadBytes) {
            return DecodeResult.rejected(Rejections.oversized(message, maxPayloadBytes));
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(payload);
        } catch (JacksonException e) {
            return DecodeResult.rejected(Rejections.ofMessage(message, RejectReason.MALFORMED_JSON,
                    e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            return DecodeResult.rejected(Rejections.ofMessage(message, RejectReason.MALFORMED_JSON, e.toString()));
        }
        if (root == null || root.isMissingNode()) {
            return DecodeResult.rejected(Rejections.ofMessage(message, RejectReason.MALFORMED_JSON, "empty payload"));
        }
        for (PayloadDecoder decoder : decoders) {
            if (recognises(decoder, root)) {
                return decodeSafely(decoder, message, root);
            }
        }
        return DecodeResult.rejected(Rejections.ofMessage(message, RejectReason.UNSUPPORTED_FORMAT,
                "a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT)
                        + " in none of the formats " + formats()));
    }

    private String formats() {
        return decoders.stream().map(PayloadDecoder::format).collect(Collectors.joining(", ", "[", "]"));
    }

    private static boolean recognises(PayloadDecoder decoder, JsonNode root) {
        try {
            return decoder.recognises(root);
        } catch (RuntimeException e) {
            LOG.warn("Decoder {} failed to inspect a payload: {}", decoder.format(), e.toString());
            return false;
        }
    }

    // Decoders do not throw; this only keeps a bug in one from stalling the MQTT session on a message
    // that would fail again on every redelivery.
    private static DecodeResult decodeSafely(PayloadDecoder decoder, IncomingMessage message, JsonNode root) {
        try {
            return decoder.decode(message, root);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("Decoder {} failed on a message on {}: {}", decoder.format(), message.topic(), e.toString());
            return DecodeResult.rejected(Rejections.ofMessage(message, RejectReason.DECODER_FAILURE,
                    decoder.format() + " decoder failed: " + e));
        }
    }
}
