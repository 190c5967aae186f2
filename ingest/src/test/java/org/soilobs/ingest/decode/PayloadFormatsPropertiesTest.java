package org.soilobs.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.soilobs.ingest.Generators.between;
import static org.soilobs.ingest.Generators.forAll;
import static org.soilobs.ingest.Generators.listOf;
import static org.soilobs.ingest.Generators.oneIn;
import static org.soilobs.ingest.Generators.pick;
import static org.soilobs.ingest.Generators.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.soilobs.ingest.Samples;
import org.soilobs.ingest.Samples.Sample;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Json;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Sensor;

/**
 * The SenML, The Things Stack and ChirpStack decoders, behind the same format detection as in ingest,
 * answer whatever arrives with readings or reasons, never an exception nor a {@code decoder_failure},
 * and account for every record once. 43 000 generated payloads per run (with the canonical decoder's
 * 105 000, 148 000 per run over all decoders), from a fixed seed per property.
 */
class PayloadFormatsPropertiesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> SENML_KEYS = List.of("bn", "bt", "bu", "bv", "bs", "bver", "n", "u", "v", "vs",
            "vb", "vd", "s", "t", "ut", "x_", "_");
    private static final List<String> LORAWAN_KEYS = List.of("end_device_ids", "dev_eui", "uplink_message",
            "decoded_payload", "received_at", "f_cnt", "deviceInfo", "devEui", "object", "time", "fCnt", "water_SOIL",
            "temp_SOIL", "conduct_SOIL", "moisture", "temperature", "ec", "Bat");
    private static final List<String> SENML_NAMES = List.of("vwc", "vwc_10cm", "temp_5-15cm", "ec_30cm", "soc",
            "ph", "moisture", "conductivity", "nitrate", "bulk_density", "co2_flux", "soil_temperature");
    private static final String PROBE = "0024befffe804ff1";
    private static final long EARLIEST_VALID = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
    private static final String JSON_LIKE = "{}[]\":,01-.e nultrasbvdeEUI_";

    private static final List<Sample> SAMPLES = Samples.all();
    private static final List<JsonNode> SAMPLE_TREES = parseSamples();

    private final PayloadDecoding decoding = PayloadDecoding.allFormats(registry(), 64 * 1024,
            CanonicalDecoder.DEFAULT_FUTURE_TOLERANCE);

    private static SensorRegistry registry() {
        SensorRegistry registry = Samples.registry();
        registry.put(new Sensor("24e124126a000001", Samples.TTN_APPLICATION, "f-2", "milesight-em500-smtc"));
        return registry;
    }

    @Test
    void mutatedSenmlPacksGiveReadingsOrReasonsNotExceptions() {
        forAll(0x5E_41_0B_5E_ED_0001L, 8_000, random -> {
            JsonNode pack = oneIn(random, 4) ? sample(random, "senml") : validPack(random);
            check(mutated(random, pack, SENML_KEYS), Samples.GATEWAY);
        });
    }

    @Test
    void mutatedTheThingsStackUplinksGiveReadingsOrReasonsNotExceptions() {
        forAll(0x5E_41_0B_5E_ED_0002L, 8_000, random -> {
            JsonNode uplink = oneIn(random, 4) ? sample(random, "ttn") : validTtn(random);
            check(mutated(random, uplink, LORAWAN_KEYS), Samples.TTN_APPLICATION);
        });
    }

    @Test
    void mutatedChirpstackEventsGiveReadingsOrReasonsNotExceptions() {
        forAll(0x5E_41_0B_5E_ED_0003L, 8_000, random -> check(
                mutated(random, sample(random, "chirpstack"), LORAWAN_KEYS), Samples.CHIRPSTACK_APPLICATION));
    }

    @Test
    void jsonLikeTextGivesReasonsNotExceptionsWhateverTheFormat() {
        forAll(0x5E_41_0B_5E_ED_0004L, 9_000, random -> {
            String prefix = pick(random, "[{\"bn\":", "{\"end_device_ids\":", "{\"deviceInfo\":", "[", "{");
            check((prefix + text(random, 256, JSON_LIKE)).getBytes(StandardCharsets.UTF_8), Samples.GATEWAY);
        });
    }

    @Test
    void validSenmlPacksAreAcceptedWhole() {
        forAll(0x5E_41_0B_5E_ED_0005L, 5_000, random -> {
            ArrayNode pack = validPack(random);
            DecodeResult result = decode(Json.mapper().writeValueAsBytes(pack), Samples.GATEWAY);

            assertThat(result.rejections()).as("rejections of %s", pack).isEmpty();
            assertThat(result.readings()).hasSize(pack.size());
            long baseTime = pack.isEmpty() ? 0 : pack.get(0).get("bt").longValue();
            for (int i = 0; i < pack.size(); i++) {
                Reading reading = result.readings().get(i);
                JsonNode record = pack.get(i);
                assertThat(reading.sensor()).isEqualTo(PROBE);
                assertThat(reading.value()).isCloseTo(record.get("v").doubleValue(), within(1e-12));
                assertThat(reading.time()).isEqualTo(Instant.ofEpochSecond(baseTime + record.get("t").longValue()));
            }
        });
    }

    @Test
    void validLse01UplinksAreAcceptedWhole() {
        forAll(0x5E_41_0B_5E_ED_0006L, 5_000, random -> {
            ObjectNode uplink = validTtn(random);
            DecodeResult result = decode(Json.mapper().writeValueAsBytes(uplink), Samples.TTN_APPLICATION);

            assertThat(result.rejections()).as("rejections of %s", uplink).isEmpty();
            JsonNode decoded = uplink.get("uplink_message").get("decoded_payload");
            assertThat(result.readings()).extracting(Reading::quantity)
                    .containsExactly(Quantity.VWC, Quantity.SOIL_TEMPERATURE, Quantity.EC);
            assertThat(result.readings().get(0).value())
                    .isCloseTo(leadingNumber(decoded.get("water_SOIL")) / 100, within(1e-12));
            assertThat(result.readings().get(1).value())
                    .isCloseTo(leadingNumber(decoded.get("temp_SOIL")), within(1e-12));
            assertThat(result.readings().get(2).value())
                    .isCloseTo(leadingNumber(decoded.get("conduct_SOIL")) / 1000, within(1e-12));
        });
    }

    private static double leadingNumber(JsonNode node) {
        return node.isNumber() ? node.doubleValue() : Double.parseDouble(node.textValue().split(" ")[0]);
    }

    private DecodeResult decode(byte[] payload, String gateway) {
        return decoding.decode(new IncomingMessage("test", "t", gateway, payload, Samples.RECEIVED));
    }

    private void check(byte[] payload, String gateway) throws Exception {
        DecodeResult result = decode(payload, gateway);
        try {
            assertAccountsForEveryRecord(payload, result);
        } catch (AssertionError e) {
            throw new AssertionError("payload (base64) " + Base64.getEncoder().encodeToString(payload) + " gave "
                    + result, e);
        }
    }

    private static void assertAccountsForEveryRecord(byte[] payload, DecodeResult result) throws Exception {
        assertThat(result.rejections()).extracting(Rejection::reason)
                .doesNotContain(RejectReason.DECODER_FAILURE.code());
        if (result.rejections().stream().anyMatch(r -> r.index() == -1)) {
            assertThat(result.rejections()).hasSize(1);
            assertThat(result.readings()).isEmpty();
            return;
        }
        JsonNode root = Json.mapper().readTree(payload);
        Set<Integer> indices = new HashSet<>();
        for (Rejection rejection : result.rejections()) {
            assertThat(indices.add(rejection.index())).as("one rejection per record").isTrue();
        }
        if (root.isArray()) {
            assertThat(result.readings().size() + result.rejections().size()).isEqualTo(root.size());
            assertThat(indices).allMatch(i -> i >= 0 && i < root.size());
        } else {
            // The decoders are asked in this order.
            JsonNode decoded = root.has("end_device_ids") ? root.path("uplink_message").path("decoded_payload")
                    : root.path("object");
            assertThat(result.readings().size() + result.rejections().size()).isLessThanOrEqualTo(decoded.size());
            assertThat(indices).allMatch(i -> i >= 0 && i < decoded.size());
        }
    }

    private static JsonNode sample(SplittableRandom random, String prefix) {
        List<JsonNode> matching = SAMPLES.stream().filter(s -> s.file().startsWith(prefix))
                .map(s -> SAMPLE_TREES.get(SAMPLES.indexOf(s))).toList();
        return pick(random, matching).deepCopy();
    }

    private static List<JsonNode> parseSamples() {
        List<JsonNode> trees = new ArrayList<>();
        for (Sample sample : SAMPLES) {
            try {
                trees.add(Json.mapper().readTree(sample.bytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trees;
    }

    private static ArrayNode validPack(SplittableRandom random) {
        ArrayNode pack = NODES.arrayNode();
        long baseTime = between(random, EARLIEST_VALID + 10_000, Samples.RECEIVED.getEpochSecond() - 10_000);
        for (int i = 0, n = between(random, 0, 20); i < n; i++) {
            ObjectNode record = pack.addObject();
            if (i == 0) {
                record.put("bn", "urn:dev:mac:" + PROBE + ":");
                record.put("bt", baseTime);
            }
            String name = pick(random, SENML_NAMES);
            Quantity quantity = Quantity.byId(name.replaceAll("_\\d.*", "")).orElseGet(() -> switch (name) {
                case "temp_5-15cm" -> Quantity.SOIL_TEMPERATURE;
                case "moisture" -> Quantity.VWC;
                case "conductivity" -> Quantity.EC;
                default -> throw new IllegalStateException(name);
            });
            record.put("n", name);
            record.put("u", quantity.unit());
            double max = Double.isFinite(quantity.hardMax()) ? quantity.hardMax() : 1000;
            record.put("v", quantity.hardMin() + random.nextDouble() * (max - quantity.hardMin()));
            record.put("t", between(random, -10_000, 10_000));
        }
        return pack;
    }

    private static ObjectNode validTtn(SplittableRandom random) {
        ObjectNode uplink = NODES.objectNode();
        uplink.putObject("end_device_ids").put("device_id", "lse01").put("dev_eui",
                random.nextBoolean() ? "A84041000181A3B2" : "a84041000181a3b2");
        ObjectNode message = uplink.putObject("uplink_message");
        message.put("f_cnt", between(random, 0, 65_535));
        message.put("received_at", Instant.ofEpochSecond(
                between(random, EARLIEST_VALID, Samples.RECEIVED.getEpochSecond())).toString());
        ObjectNode decoded = message.putObject("decoded_payload");
        decoded.put("Bat", 3.6);
        decoded.set("water_SOIL", lse01Value(random, random.nextInt(0, 10_001) / 100.0, "%"));
        decoded.set("temp_SOIL", lse01Value(random, random.nextInt(-4000, 6001) / 100.0, "°C"));
        decoded.set("conduct_SOIL", lse01Value(random, random.nextInt(0, 65_536), "uS/cm"));
        return uplink;
    }

    // As the three LSE01 codecs write a value: a number, a numeric string, or a string with the unit.
    private static JsonNode lse01Value(SplittableRandom random, double value, String unit) {
        return switch (random.nextInt(3)) {
            case 0 -> NODES.numberNode(value);
            case 1 -> NODES.textNode(String.format("%.2f", value));
            default -> NODES.textNode(String.format("%.2f %s", value, unit));
        };
    }

    private static byte[] mutated(SplittableRandom random, JsonNode tree, List<String> keys) throws Exception {
        for (int i = 0, n = between(random, 0, 4); i < n; i++) {
            mutate(random, tree, keys);
        }
        byte[] bytes = Json.mapper().writeValueAsBytes(tree);
        for (CanonicalDecoderPropertiesTest.ByteMutation mutation
                : listOf(random, 2, CanonicalDecoderPropertiesTest.ByteMutation::arbitrary)) {
            if (oneIn(random, 3)) {
                bytes = mutation.apply(bytes);
            }
        }
        return bytes;
    }

    // Replaces, removes or adds one member of a container anywhere in the tree.
    private static void mutate(SplittableRandom random, JsonNode tree, List<String> keys) {
        List<JsonNode> containers = new ArrayList<>();
        collect(tree, containers);
        JsonNode target = pick(random, containers);
        JsonNode value = CanonicalDecoderPropertiesTest.oddValue(random);
        if (target instanceof ObjectNode object) {
            String key = object.isEmpty() || random.nextBoolean() ? pick(random, keys) : someKey(random, object);
            if (oneIn(random, 4)) {
                object.remove(key);
            } else {
                object.set(key, value);
            }
        } else if (target instanceof ArrayNode array) {
            if (array.isEmpty() || oneIn(random, 4)) {
                array.add(value);
            } else {
                array.set(random.nextInt(array.size()), value);
            }
        }
    }

    private static String someKey(SplittableRandom random, ObjectNode object) {
        int skip = random.nextInt(object.size());
        Iterator<String> names = object.fieldNames();
        for (int i = 0; i < skip; i++) {
            names.next();
        }
        return names.next();
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            node.elements().forEachRemaining(child -> collect(child, containers));
        }
    }
}
