package org.soilobs.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.soilobs.model.Json;
import org.soilobs.model.Quantity;
import org.soilobs.model.Rejection;

/**
 * Whatever arrives, the decoder answers with readings or reasons, never an exception, and accounts for
 * every reading of a batch exactly once.
 */
class CanonicalDecoderPropertiesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> READING_KEYS = List.of("sensor", "time", "quantity", "value", "unit", "depth_cm");
    private static final List<String> BATCH_KEYS = List.of("schema", "gateway", "seq", "readings");

    private final CanonicalDecoder decoder = new CanonicalDecoder(CanonicalDecoderTest.registry(), 64 * 1024,
            CanonicalDecoder.DEFAULT_FUTURE_TOLERANCE);

    @Property(tries = 10_000)
    void arbitraryBytesGiveReasonsNotExceptions(@ForAll @Size(max = 2048) byte[] payload) {
        checkDecodes(payload);
    }

    @Property(tries = 10_000)
    void arbitraryTextGivesReasonsNotExceptions(@ForAll @StringLength(max = 1024) String payload) {
        checkDecodes(payload.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 10_000)
    void jsonLikeTextGivesReasonsNotExceptions(
            @ForAll @StringLength(max = 512) @Chars({'{', '}', '[', ']', '"', ':', ',', '0', '1', '-', '.', 'e', ' ',
                    'n', 'u', 'l', 't', 'r', 'a', 's'}) String payload) {
        checkDecodes(payload.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 10_000)
    void mutatedBatchesGiveReadingsOrReasonsNotExceptions(@ForAll("mutatedBatches") byte[] payload) {
        checkDecodes(payload);
    }

    @Property(tries = 2_000)
    void validBatchesAreAcceptedWhole(@ForAll("validBatches") ObjectNode batch) throws Exception {
        DecodeResult result = decoder.decode(CanonicalDecoderTest.message(Json.mapper().writeValueAsBytes(batch)));

        assertThat(result.rejections()).isEmpty();
        assertThat(result.readings()).hasSize(batch.get("readings").size());
    }

    private void checkDecodes(byte[] payload) {
        DecodeResult result = decoder.decode(CanonicalDecoderTest.message(payload));
        assertAccountsForEveryReading(payload, result);
    }

    static void assertAccountsForEveryReading(byte[] payload, DecodeResult result) {
        boolean wholeMessage = result.rejections().stream().anyMatch(r -> r.index() == -1);
        if (wholeMessage) {
            assertThat(result.rejections()).hasSize(1);
            assertThat(result.readings()).isEmpty();
            return;
        }
        int readings;
        try {
            readings = Json.mapper().readTree(payload).get("readings").size();
        } catch (Exception e) {
            throw new AssertionError("a payload the decoder took apart must have a readings array", e);
        }
        assertThat(result.readings().size() + result.rejections().size()).isEqualTo(readings);
        Set<Integer> indices = new HashSet<>();
        for (Rejection rejection : result.rejections()) {
            assertThat(rejection.index()).isBetween(0, readings - 1);
            assertThat(indices.add(rejection.index())).as("one rejection per reading").isTrue();
        }
    }

    @Provide
    Arbitrary<ObjectNode> validBatches() {
        return Combinators.combine(
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        validReadings().list().ofMaxSize(20))
                .as((seq, readings) -> {
                    ObjectNode batch = NODES.objectNode();
                    batch.put("schema", CanonicalDecoder.SCHEMA);
                    batch.put("gateway", CanonicalDecoderTest.GATEWAY);
                    batch.put("seq", seq);
                    ArrayNode array = batch.putArray("readings");
                    readings.forEach(array::add);
                    return batch;
                });
    }

    private Arbitrary<ObjectNode> validReadings() {
        return Combinators.combine(
                        Arbitraries.of(Quantity.class),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.longs().between(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond(),
                                CanonicalDecoderTest.RECEIVED.getEpochSecond()),
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.of(true, false))
                .as((quantity, fraction, epochSecond, top, thickness, withDepth) -> {
                    ObjectNode reading = NODES.objectNode();
                    reading.put("sensor", "s-1");
                    reading.put("time", Instant.ofEpochSecond(epochSecond).toString());
                    reading.put("quantity", quantity.id());
                    double max = Double.isFinite(quantity.hardMax()) ? quantity.hardMax() : 1000;
                    reading.put("value", quantity.hardMin() + fraction * (max - quantity.hardMin()));
                    reading.put("unit", quantity.unit());
                    if (withDepth) {
                        reading.putArray("depth_cm").add(top).add(top + thickness);
                    }
                    return reading;
                });
    }

    @Provide
    Arbitrary<byte[]> mutatedBatches() {
        return Combinators.combine(validBatches(), treeMutations().list().ofMaxSize(4),
                        byteMutations().list().ofMaxSize(2))
                .as((batch, treeMutations, byteMutations) -> {
                    ObjectNode mutated = batch.deepCopy();
                    treeMutations.forEach(mutation -> mutation.apply(mutated));
                    byte[] bytes;
                    try {
                        bytes = Json.mapper().writeValueAsBytes(mutated);
                    } catch (Exception e) {
                        bytes = mutated.toString().getBytes(StandardCharsets.UTF_8);
                    }
                    for (ByteMutation mutation : byteMutations) {
                        bytes = mutation.apply(bytes);
                    }
                    return bytes;
                });
    }

    private Arbitrary<TreeMutation> treeMutations() {
        return Combinators.combine(
                        Arbitraries.of(TreeMutation.Kind.class),
                        Arbitraries.integers().between(0, 1000),
                        Arbitraries.of(READING_KEYS),
                        Arbitraries.of(BATCH_KEYS),
                        oddValues())
                .as(TreeMutation::new);
    }

    private Arbitrary<JsonNode> oddValues() {
        return Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bigDecimals().map(NODES::numberNode),
                Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 1e-320).map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.strings().ofMaxLength(40).map(NODES::textNode),
                Arbitraries.of("", " ", "NaN", "Infinity", "1e400", "0.2", "2026-13-45T99:00:00Z",
                        "2026-11-20T09:40:00Z", "+999999999-12-31T23:59:59Z", "%", "uS/cm", "g/kg", "/", "soc", "vwc",
                        "s-2", "s-404", "gw-2", "soil-readings/1", "soil-readings/2").map(NODES::textNode),
                Arbitraries.integers().between(-5, 2000).list().ofMaxSize(3).map(CanonicalDecoderPropertiesTest::array),
                Arbitraries.just(NODES.objectNode()),
                Arbitraries.integers().between(0, 70).map(CanonicalDecoderPropertiesTest::nested));
    }

    private static JsonNode array(List<Integer> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static JsonNode nested(int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = NODES.arrayNode().add(node);
        }
        return node;
    }

    private Arbitrary<ByteMutation> byteMutations() {
        return Combinators.combine(
                        Arbitraries.of(ByteMutation.Kind.class),
                        Arbitraries.integers().between(0, 100_000),
                        Arbitraries.integers().between(1, 64),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16))
                .as(ByteMutation::new);
    }

    record TreeMutation(Kind kind, int position, String readingKey, String batchKey, JsonNode value) {

        enum Kind { REPLACE_READING_FIELD, REMOVE_READING_FIELD, REPLACE_READING, REPLACE_BATCH_FIELD,
            REMOVE_BATCH_FIELD, ADD_UNKNOWN_FIELD }

        void apply(ObjectNode batch) {
            // Generated values may be shared between samples: copy, or a mutation could make a cycle.
            JsonNode value = this.value.deepCopy();
            JsonNode readings = batch.get("readings");
            boolean hasReading = readings instanceof ArrayNode array && !array.isEmpty();
            switch (kind) {
                case REPLACE_READING_FIELD, REMOVE_READING_FIELD, REPLACE_READING -> {
                    if (!hasReading) {
                        return;
                    }
                    ArrayNode array = (ArrayNode) readings;
                    int index = position % array.size();
                    if (kind == Kind.REPLACE_READING) {
                        array.set(index, value);
                    } else if (array.get(index) instanceof ObjectNode reading) {
                        if (kind == Kind.REMOVE_READING_FIELD) {
                            reading.remove(readingKey);
                        } else {
                            reading.set(readingKey, value);
                        }
                    }
                }
                case REPLACE_BATCH_FIELD -> batch.set(batchKey, value);
                case REMOVE_BATCH_FIELD -> batch.remove(batchKey);
                case ADD_UNKNOWN_FIELD -> batch.set("x-" + position, value);
            }
        }
    }

    record ByteMutation(Kind kind, int position, int length, byte[] bytes) {

        enum Kind { FLIP, DELETE, INSERT, TRUNCATE, OVERWRITE }

        byte[] apply(byte[] input) {
            if (input.length == 0) {
                return bytes.clone();
            }
            int at = position % input.length;
            switch (kind) {
                case FLIP -> {
                    byte[] out = input.clone();
                    out[at] ^= (byte) (1 << (length % 8));
                    return out;
                }
                case DELETE -> {
                    int end = Math.min(input.length, at + length);
                    byte[] out = new byte[input.length - (end - at)];
                    System.arraycopy(input, 0, out, 0, at);
                    System.arraycopy(input, end, out, at, input.length - end);
                    return out;
                }
                case INSERT -> {
                    byte[] out = new byte[input.length + bytes.length];
                    System.arraycopy(input, 0, out, 0, at);
                    System.arraycopy(bytes, 0, out, at, bytes.length);
                    System.arraycopy(input, at, out, at + bytes.length, input.length - at);
                    return out;
                }
                case TRUNCATE -> {
                    return Arrays.copyOf(input, at);
                }
                case OVERWRITE -> {
                    byte[] out = input.clone();
                    for (int i = 0; i < bytes.length && at + i < out.length; i++) {
                        out[at + i] = bytes[i];
                    }
                    return out;
                }
                default -> throw new IllegalStateException(kind.toString());
            }
        }
    }
}
