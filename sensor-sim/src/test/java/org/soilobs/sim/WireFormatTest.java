package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.model.Json;

/** Each format's messages have the shape of the published samples (copies of ../shared/samples/ in test resources). */
class WireFormatTest {

    private static final Instant T = Instant.parse("2026-11-20T09:40:00Z");
    private static final String SENSOR = "f-ken-0007-p1";

    private static WireFormat.Report report(Instant time, double vwc, double temperature, double ec) {
        return new WireFormat.Report(time, List.of(
                new CanonicalBatch.Reading(SENSOR, time, "vwc", vwc, "m3/m3", 0, 10),
                new CanonicalBatch.Reading(SENSOR, time, "soil_temperature", temperature, "Cel", 0, 10),
                new CanonicalBatch.Reading(SENSOR, time, "ec", ec, "dS/m", 0, 10)));
    }

    private static JsonNode sample(String file) throws IOException {
        return Json.mapper().readTree(Files.readAllBytes(Path.of("src/test/resources/samples", file)));
    }

    /** Every path to a leaf, array elements as [], so two documents of one shape give the same set. */
    private static Set<String> shape(JsonNode node) {
        Set<String> paths = new TreeSet<>();
        collect(node, "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String path, Set<String> paths) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                collect(node.get(name), path + "/" + name, paths);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, path + "[]", paths));
        } else {
            paths.add(path + ":" + node.getNodeType());
        }
    }

    /** The Dragino LSE01 codec (TTN device repository, vendor/dragino/lse01): 11 bytes, big-endian. */
    private static String[] decodeLse01(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
        int battery = bytes.getShort() & 0x3FFF;
        bytes.getShort();
        int water = bytes.getShort() & 0xFFFF;
        int temperature = bytes.getShort();
        int conductivity = bytes.getShort() & 0xFFFF;
        return new String[] {String.valueOf(battery / 1000.0), String.format("%.2f", water / 100.0),
            String.format("%.2f", temperature / 100.0), String.valueOf(conductivity)};
    }

    @ParameterizedTest(name = "{0} has the shape of {1}, minus the DS18B20 probe")
    @CsvSource({
        "TTN, ttn-v3-uplink-dragino-lse01.json, /uplink_message/decoded_payload/TempC_DS18B20:STRING",
        "CHIRPSTACK, chirpstack-v4-up-dragino-lse01.json, /object/TempC_DS18B20:STRING"})
    void loRaWanUplinksHaveTheShapeOfTheDraginoSamples(WireFormat format, String file, String notFitted)
            throws IOException {
        RawMessage message = format.encode("gw-ken-0007", 912, SENSOR, "f-ken-0007",
                List.of(report(T, 0.196, 24.6, 1.18))).get(0);
        Set<String> expected = shape(sample(file));
        expected.remove(notFitted);

        assertThat(shape(Json.mapper().readTree(message.payload()))).isEqualTo(expected);
    }

    @Test
    void lse01BytesDecodeToTheDecodedValuesAsTheSamplesDo() throws IOException {
        JsonNode sample = sample("ttn-v3-uplink-dragino-lse01.json").path("uplink_message");
        assertThat(decodeLse01(sample.path("frm_payload").asText()))
                .containsExactly("3.625", "19.57", "24.59", "28200");

        for (WireFormat format : List.of(WireFormat.TTN, WireFormat.CHIRPSTACK)) {
            JsonNode uplink = Json.mapper().readTree(format.encode("gw-ken-0007", 7, SENSOR, "f-ken-0007",
                    List.of(report(T, 0.196, -3.4, 1.18))).get(0).payload());
            JsonNode body = format == WireFormat.TTN ? uplink.path("uplink_message") : uplink;
            JsonNode decoded = body.path(format == WireFormat.TTN ? "decoded_payload" : "object");
            String[] fromBytes = decodeLse01(body.path(format == WireFormat.TTN ? "frm_payload" : "data").asText());
            assertThat(decoded.path("water_SOIL").asText()).isEqualTo("19.60").isEqualTo(fromBytes[1]);
            assertThat(decoded.path("temp_SOIL").asText()).isEqualTo("-3.40").isEqualTo(fromBytes[2]);
            assertThat(decoded.path("conduct_SOIL").asLong()).isEqualTo(1180);
            assertThat(decoded.path("conduct_SOIL").isIntegralNumber()).isTrue();
            assertThat(fromBytes[3]).isEqualTo("1180");
            assertThat(decoded.path("Bat").asDouble()).isEqualTo(Double.parseDouble(fromBytes[0]));
        }
    }

    @Test
    void loRaWanTopicsNameTheDevice() {
        String devEui = WireFormat.devEui(SENSOR);
        assertThat(devEui).matches("A84041[0-9A-F]{10}");
        assertThat(WireFormat.TTN.encode("gw", 1, SENSOR, "f", List.of(report(T, 0.2, 10, 0.5))).get(0).topic())
                .isEqualTo("v3/soil-observatory@ttn/devices/" + SENSOR + "/up");
        assertThat(WireFormat.CHIRPSTACK.encode("gw", 1, SENSOR, "f", List.of(report(T, 0.2, 10, 0.5))).get(0).topic())
                .isEqualTo("application/" + WireFormat.CHIRPSTACK_APPLICATION + "/device/" + devEui.toLowerCase()
                        + "/event/up");
    }

    @Test
    void loRaWanSendsOneUplinkPerReportWithIncreasingFrameCounters() {
        List<RawMessage> uplinks = WireFormat.TTN.encode("gw", 41, SENSOR, "f",
                List.of(report(T, 0.2, 10, 0.5), report(T.plusSeconds(900), 0.21, 10.2, 0.5)));
        assertThat(uplinks).extracting(RawMessage::seq).containsExactly(41L, 42L);
        assertThat(uplinks).extracting(RawMessage::readingCount).containsExactly(3, 3);
    }

    @Test
    void senmlHasTheShapeOfTheSoilProbeSample() throws IOException {
        RawMessage message = WireFormat.SENML.encode("gw-fra-0001", 3, SENSOR, "f",
                List.of(report(Instant.ofEpochSecond(1795168800), 0.274, 11.8, 0.43),
                        report(Instant.ofEpochSecond(1795168800 + 900), 0.276, 11.6, 0.44))).get(0);
        JsonNode sample = sample("senml-soil-probe.json");
        JsonNode ours = Json.mapper().readTree(message.payload());

        assertThat(message.topic()).isEqualTo("soil/v1/gw-fra-0001/up");
        assertThat(ours.size()).isEqualTo(sample.size());
        for (int i = 0; i < sample.size(); i++) {
            assertThat(ours.get(i).path("n").asText()).isEqualTo(sample.get(i).path("n").asText());
            assertThat(ours.get(i).path("u").asText()).isEqualTo(sample.get(i).path("u").asText());
            assertThat(ours.get(i).path("v").asDouble()).isEqualTo(sample.get(i).path("v").asDouble());
            assertThat(ours.get(i).path("t").asDouble()).isEqualTo(sample.get(i).path("t").asDouble());
            assertThat(shape(ours.get(i))).isEqualTo(shape(sample.get(i)));
        }
        assertThat(ours.get(0).path("bn").asText()).isEqualTo("urn:dev:mac:" + WireFormat.devEui(SENSOR).toLowerCase() + ":");
        assertThat(ours.get(0).path("bt")).isEqualTo(sample.get(0).path("bt"));
    }

    @Test
    void canonicalMessagesParseAsCanonicalBatches() {
        RawMessage message = WireFormat.CANONICAL.encode("gw-ken-0007", 5, SENSOR, "f",
                List.of(report(T, 0.2, 10, 0.5), report(T.plusSeconds(600), 0.2, 10, 0.5))).get(0);
        CanonicalBatch batch = CanonicalBatch.parse(message.payload());
        assertThat(batch.seq()).isEqualTo(5);
        assertThat(batch.readings()).hasSize(6);
        assertThat(message.topic()).isEqualTo("soil/v1/gw-ken-0007/up");
    }
}
