package org.soilobs.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.soilobs.model.Json;

/**
 * The observatory's canonical JSON batch ({@code ../shared/samples/canonical-batch.json}):
 * {@code {"schema":"soil-readings/1","gateway":…,"seq":…,"readings":[{"sensor":…,"time":"…Z",
 * "quantity":…,"value":…,"unit":…,"depth_cm":[top,bottom]}]}}, written field by field so that the same
 * batch is always the same bytes.
 *
 * <p>A reading's quantity is a plain string: the simulator also sends quantities the observatory does
 * not know, to test that ingest rejects them.
 */
public record CanonicalBatch(String gateway, long seq, List<Reading> readings) implements GatewayMessage {

    public static final String SCHEMA = "soil-readings/1";

    public CanonicalBatch {
        requireText(gateway, "gateway");
        readings = List.copyOf(readings);
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("a batch carries at least one reading");
        }
    }

    public record Reading(String sensor, Instant time, String quantity, double value, String unit, int depthTopCm,
            int depthBottomCm) {

        public Reading {
            requireText(sensor, "sensor");
            Objects.requireNonNull(time, "time");
            requireText(quantity, "quantity");
            requireText(unit, "unit");
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("JSON has no " + value);
            }
        }
    }

    @Override
    public String topic() {
        return GatewayMessage.uplinkTopic(gateway);
    }

    @Override
    public int readingCount() {
        return readings.size();
    }

    @Override
    public byte[] payload() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + readings.size() * 128);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("schema", SCHEMA);
            json.writeStringField("gateway", gateway);
            json.writeNumberField("seq", seq);
            json.writeArrayFieldStart("readings");
            for (Reading reading : readings) {
                json.writeStartObject();
                json.writeStringField("sensor", reading.sensor());
                json.writeStringField("time", reading.time().toString());
                json.writeStringField("quantity", reading.quantity());
                json.writeNumberField("value", reading.value());
                json.writeStringField("unit", reading.unit());
                json.writeArrayFieldStart("depth_cm");
                json.writeNumber(reading.depthTopCm());
                json.writeNumber(reading.depthBottomCm());
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a batch to memory", e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a canonical batch back, e.g. in tests.
     *
     * @throws IllegalArgumentException when the bytes are not a canonical batch
     */
    public static CanonicalBatch parse(byte[] payload) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !SCHEMA.equals(root.path("schema").asText(null))) {
            throw new IllegalArgumentException("not a " + SCHEMA + " batch");
        }
        JsonNode seq = root.path("seq");
        if (!seq.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("seq must be an integer, was " + seq);
        }
        List<Reading> readings = new ArrayList<>();
        for (JsonNode node : root.path("readings")) {
            JsonNode depth = node.path("depth_cm");
            JsonNode value = node.path("value");
            if (!value.isNumber() || !depth.isArray() || depth.size() != 2 || !depth.get(0).canConvertToInt()
                    || !depth.get(1).canConvertToInt()) {
                throw new IllegalArgumentException("malformed reading: " + node);
            }
            try {
                readings.add(new Reading(node.path("sensor").asText(null), Instant.parse(node.path("time").asText("")),
                        node.path("quantity").asText(null), value.doubleValue(), node.path("unit").asText(null),
                        depth.get(0).intValue(), depth.get(1).intValue()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("malformed time in " + node, e);
            }
        }
        return new CanonicalBatch(root.path("gateway").asText(null), seq.longValue(), readings);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
