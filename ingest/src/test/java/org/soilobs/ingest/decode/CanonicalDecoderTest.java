package org.soilobs.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Json;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Sensor;

class CanonicalDecoderTest {

    static final Instant RECEIVED = Instant.parse("2026-11-20T10:00:00Z");
    static final String GATEWAY = "gw-1";
    static final String TOPIC = "soil/v1/gw-1/up";

    private final SensorRegistry registry = registry();
    private final CanonicalDecoder decoder = new CanonicalDecoder(registry);

    static SensorRegistry registry() {
        SensorRegistry registry = new SensorRegistry();
        registry.put(new Sensor("s-1", GATEWAY, "f-1", "canonical"));
        registry.put(new Sensor("s-2", "gw-2", "f-2", "canonical"));
        registry.put(new Sensor("fr-0042-p1", "gw-fr-beauce-1", "fr-0042", "canonical"));
        return registry;
    }

    static String batch(String... readings) {
        return "{\"schema\":\"soil-readings/1\",\"gateway\":\"gw-1\",\"seq\":7,\"readings\":["
                + String.join(",", readings) + "]}";
    }

    static IncomingMessage message(String payload) {
        return message(payload.getBytes(StandardCharsets.UTF_8));
    }

    static IncomingMessage message(byte[] payload) {
        return new IncomingMessage("observatory", TOPIC, GATEWAY, payload, RECEIVED);
    }

    private DecodeResult decode(String payload) {
        return decoder.decode(message(payload));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "unknown_quantity   | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"salinity\",\"value\":1,\"unit\":\"dS/m\"}",
        "unknown_quantity   | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"soc_stock\",\"value\":58.5,\"unit\":\"t/ha\"}",
        "unknown_quantity   | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":42,\"value\":1,\"unit\":\"dS/m\"}",
        "unknown_quantity   | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"value\":1,\"unit\":\"dS/m\"}",
        "unknown_unit       | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"furlong\"}",
        "unknown_unit       | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2}",
        "unit_mismatch      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"Cel\"}",
        "unit_mismatch      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"ph\",\"value\":6.5,\"unit\":\"%\"}",
        "invalid_value      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":\"0.2\",\"unit\":\"m3/m3\"}",
        "invalid_value      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":null,\"unit\":\"m3/m3\"}",
        "invalid_value      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"unit\":\"m3/m3\"}",
        "invalid_value      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"ec\",\"value\":1e400,\"unit\":\"dS/m\"}",
        "value_out_of_range | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":1.5,\"unit\":\"m3/m3\"}",
        "value_out_of_range | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":101,\"unit\":\"%\"}",
        "value_out_of_range | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"soc\",\"value\":100.1,\"unit\":\"%\"}",
        "value_out_of_range | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"soil_temperature\",\"value\":-61,\"unit\":\"Cel\"}",
        "value_out_of_range | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"ec\",\"value\":-0.1,\"unit\":\"uS/cm\"}",
        "invalid_time       | {\"sensor\":\"s-1\",\"time\":\"yesterday\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "invalid_time       | {\"sensor\":\"s-1\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "invalid_time       | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "invalid_time       | {\"sensor\":\"s-1\",\"time\":1795168800,\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "invalid_time       | {\"sensor\":\"s-1\",\"time\":\"1850-01-01T00:00:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "time_in_future     | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T10:05:01Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "time_in_future     | {\"sensor\":\"s-1\",\"time\":\"+999999999-12-31T23:59:59Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "invalid_depth      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\",\"depth_cm\":[10,0]}",
        "invalid_depth      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\",\"depth_cm\":[-1,10]}",
        "invalid_depth      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\",\"depth_cm\":[0]}",
        "invalid_depth      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\",\"depth_cm\":[0,10.5]}",
        "invalid_depth      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\",\"depth_cm\":\"0-10\"}",
        "invalid_depth      | {\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\",\"depth_cm\":[0,5000000000]}",
        "unknown_sensor     | {\"sensor\":\"s-404\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "unknown_sensor     | {\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "unknown_sensor     | {\"sensor\":\" \",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "sensor_gateway_mismatch | {\"sensor\":\"s-2\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}",
        "invalid_reading    | 42",
        "invalid_reading    | [\"s-1\",0.2]",
    })
    void rejectsABadReadingWithItsReasonAndKeepsTheGoodOnes(String reason, String badReading) {
        String good = "{\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}";

        DecodeResult result = decode(batch(good, badReading, good));

        assertThat(result.readings()).hasSize(2);
        assertThat(result.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.reason()).isEqualTo(reason);
            assertThat(rejection.index()).isEqualTo(1);
            assertThat(rejection.topic()).isEqualTo(TOPIC);
            assertThat(rejection.source()).isEqualTo("observatory");
            assertThat(rejection.receivedAt()).isEqualTo(RECEIVED);
            assertThat(rejection.detail()).isNotBlank();
            assertThat(new String(Base64.getDecoder().decode(rejection.payloadBase64()), StandardCharsets.UTF_8))
                    .isEqualTo(badReading);
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "malformed_json     | {",
        "malformed_json     | not json",
        "malformed_json     | ''",
        "malformed_json     | {} {}",
        "malformed_json     | {\"schema\":\"soil-readings/1\",\"schema\":\"soil-readings/1\",\"gateway\":\"gw-1\",\"seq\":1,\"readings\":[]}",
        "malformed_json     | {\"schema\":\"soil-readings/1\",\"gateway\":\"gw-1\",\"seq\":1,\"readings\":[NaN]}",
        "unsupported_format | [1,2]",
        "unsupported_format | 42",
        "unsupported_format | \"soil\"",
        "unsupported_format | {\"foo\":1}",
        "unsupported_format | {\"schema\":5,\"readings\":[]}",
        "unsupported_schema | {\"schema\":\"soil-readings/2\",\"gateway\":\"gw-1\",\"seq\":1,\"readings\":[]}",
        "unsupported_schema | {\"gateway\":\"gw-1\",\"seq\":1,\"readings\":[]}",
        "invalid_batch      | {\"schema\":\"soil-readings/1\",\"seq\":1,\"readings\":[]}",
        "invalid_batch      | {\"schema\":\"soil-readings/1\",\"gateway\":\"\",\"seq\":1,\"readings\":[]}",
        "invalid_batch      | {\"schema\":\"soil-readings/1\",\"gateway\":\"gw-1\",\"seq\":-1,\"readings\":[]}",
        "invalid_batch      | {\"schema\":\"soil-readings/1\",\"gateway\":\"gw-1\",\"seq\":\"7\",\"readings\":[]}",
        "invalid_batch      | {\"schema\":\"soil-readings/1\",\"gateway\":\"gw-1\",\"seq\":1.5,\"readings\":[]}",
        "invalid_batch      | {\"schema\":\"soil-readings/1\",\"gateway\":\"gw-1\",\"seq\":99999999999999999999,\"readings\":[]}",
        "invalid_batch      | {\"schema\":\"soil-readings/1\",\"gateway\":\"gw-1\",\"seq\":1,\"readings\":{}}",
        "invalid_batch      | {\"schema\":\"soil-readings/1\",\"gateway\":\"gw-1\",\"seq\":1}",
        "gateway_mismatch   | {\"schema\":\"soil-readings/1\",\"gateway\":\"gw-2\",\"seq\":1,\"readings\":[]}",
    })
    void rejectsAnUndecodableMessageAsAWhole(String reason, String payload) {
        DecodeResult result = decode(payload);

        assertThat(result.readings()).isEmpty();
        assertThat(result.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.reason()).isEqualTo(reason);
            assertThat(rejection.index()).isEqualTo(-1);
            assertThat(rejection.detail()).isNotBlank();
            assertThat(Base64.getDecoder().decode(rejection.payloadBase64()))
                    .isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
        });
    }

    @Test
    void rejectsInvalidUtf8AsMalformedJson() {
        byte[] payload = batch().getBytes(StandardCharsets.UTF_8);
        payload[10] = (byte) 0xC3;
        payload[11] = (byte) 0x28;

        assertThat(reasons(decoder.decode(message(payload)))).containsExactly("malformed_json");
    }

    @Test
    void rejectsNestingDeeperThanTheJsonLimitAsMalformedJson() {
        String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 10) + "]".repeat(Json.MAX_NESTING_DEPTH + 10);

        assertThat(reasons(decode(batch(deep)))).containsExactly("malformed_json");
    }

    @Test
    void rejectsAnOversizedPayloadUnparsedKeepingItsHead() {
        CanonicalDecoder small = new CanonicalDecoder(registry, 2048, CanonicalDecoder.DEFAULT_FUTURE_TOLERANCE);
        String reading = "{\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,\"unit\":\"m3/m3\"}";
        String payload = batch(Collections.nCopies(100, reading).toArray(String[]::new));

        DecodeResult result = small.decode(message(payload));

        assertThat(result.readings()).isEmpty();
        Rejection rejection = result.rejections().get(0);
        assertThat(rejection.reason()).isEqualTo("payload_too_large");
        assertThat(rejection.index()).isEqualTo(-1);
        assertThat(rejection.detail()).contains(String.valueOf(payload.length()), "2048");
        assertThat(Base64.getDecoder().decode(rejection.payloadBase64()))
                .hasSize(Rejections.OVERSIZED_PAYLOAD_KEPT_BYTES)
                .startsWith(payload.substring(0, 100).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsAPayloadOfExactlyTheLimit() {
        String payload = batch();
        CanonicalDecoder exact = new CanonicalDecoder(registry, payload.length(), CanonicalDecoder.DEFAULT_FUTURE_TOLERANCE);

        assertThat(exact.decode(message(payload)).isEmpty()).isTrue();
    }

    @Test
    void decodesTheSampleBatchIntoFourCanonicalReadings() throws IOException {
        byte[] sample;
        try (InputStream in = getClass().getResourceAsStream("/samples/canonical-batch.json")) {
            sample = in.readAllBytes();
        }
        Instant received = Instant.parse("2026-11-20T09:40:03Z");

        DecodeResult result = decoder.decode(new IncomingMessage("observatory", "soil/v1/gw-fr-beauce-1/up",
                "gw-fr-beauce-1", sample, received));

        assertThat(result.rejections()).isEmpty();
        Instant time = Instant.parse("2026-11-20T09:40:00Z");
        assertThat(result.readings()).containsExactly(
                new Reading("gw-fr-beauce-1", 48121, "fr-0042-p1", "fr-0042", Quantity.SOC, time, 17.4, 0, 30, received),
                new Reading("gw-fr-beauce-1", 48121, "fr-0042-p1", "fr-0042", Quantity.VWC, time, 0.231, 0, 10, received),
                new Reading("gw-fr-beauce-1", 48121, "fr-0042-p1", "fr-0042", Quantity.SOIL_TEMPERATURE, time, 9.6, 0, 10,
                        received),
                new Reading("gw-fr-beauce-1", 48121, "fr-0042-p1", "fr-0042", Quantity.EC, time, 0.41, 0, 10, received));
    }

    @ParameterizedTest(name = "{0} {1} {2} = {3} in the canonical unit")
    @CsvSource({
        "soc, 17.4, g/kg, 17.4",
        "soc, 1.74, %, 17.4",
        "soc, 17.4, mg/g, 17.4",
        "bulk_density, 1300, kg/m3, 1.3",
        "bulk_density, 1.3, t/m3, 1.3",
        "bulk_density, 1.3, Mg/m3, 1.3",
        "vwc, 23.1, %, 0.231",
        "vwc, 0.274, /, 0.274",
        "vwc, 0.231, cm3/cm3, 0.231",
        "soil_temperature, 282.75, K, 9.6",
        "soil_temperature, 50, [degF], 10",
        "ec, 1180, uS/cm, 1.18",
        "ec, 0.043, S/m, 0.43",
        "ec, 0.41, mS/cm, 0.41",
        "ec, 41, mS/m, 0.41",
        "ph, 6.5, [pH], 6.5",
        "nitrate, 12, ug/g, 12",
        "co2_flux, 3.2, umol/m2/s, 3.2",
    })
    void convertsKnownUnitsToTheCanonicalUnit(String quantity, double value, String unit, double expected) {
        String reading = "{\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"" + quantity
                + "\",\"value\":" + value + ",\"unit\":\"" + unit + "\"}";

        DecodeResult result = decode(batch(reading));

        assertThat(result.rejections()).isEmpty();
        assertThat(result.readings()).singleElement().satisfies(r -> {
            assertThat(r.quantity().id()).isEqualTo(quantity);
            assertThat(r.value()).isCloseTo(expected, within(1e-9));
        });
    }

    @ParameterizedTest(name = "{0} without depth_cm measures {1}..{2} cm")
    @CsvSource({"soc, 0, 30", "vwc, 0, 10", "soil_temperature, 0, 10", "ec, 0, 10", "ph, 0, 10"})
    void defaultsTheDepthByQuantity(String quantity, int top, int bottom) {
        String value = quantity.equals("ph") ? "6.5" : "0.3";
        String unit = Units.accepted(Quantity.fromId(quantity)).iterator().next();
        String reading = "{\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"" + quantity
                + "\",\"value\":" + value + ",\"unit\":\"" + unit + "\",\"depth_cm\":null}";

        Reading decoded = decode(batch(reading)).readings().get(0);

        assertThat(decoded.depthTopCm()).isEqualTo(top);
        assertThat(decoded.depthBottomCm()).isEqualTo(bottom);
    }

    @Test
    void acceptsAPointDepthAndATimeWithinTheTolerance() {
        String reading = "{\"sensor\":\"s-1\",\"time\":\"2026-11-20T11:04:00+01:00\",\"quantity\":\"soil_temperature\","
                + "\"value\":9.6,\"unit\":\"Cel\",\"depth_cm\":[10,10],\"comment\":\"extra keys are ignored\"}";

        Reading decoded = decode(batch(reading)).readings().get(0);

        assertThat(decoded.time()).isEqualTo(Instant.parse("2026-11-20T10:04:00Z"));
        assertThat(decoded.depthTopCm()).isEqualTo(10);
        assertThat(decoded.depthBottomCm()).isEqualTo(10);
        assertThat(decoded.field()).isEqualTo("f-1");
        assertThat(decoded.gateway()).isEqualTo(GATEWAY);
        assertThat(decoded.seq()).isEqualTo(7);
        assertThat(decoded.receivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void honoursAConfiguredFutureTolerance() {
        CanonicalDecoder strict = new CanonicalDecoder(registry, PayloadDecoding.DEFAULT_MAX_PAYLOAD_BYTES, Duration.ZERO);
        String reading = "{\"sensor\":\"s-1\",\"time\":\"2026-11-20T10:00:01Z\",\"quantity\":\"vwc\",\"value\":0.2,"
                + "\"unit\":\"m3/m3\"}";

        assertThat(reasons(strict.decode(message(batch(reading))))).containsExactly("time_in_future");
    }

    @Test
    void anEmptyBatchDecodesToNothing() {
        assertThat(decode(batch()).isEmpty()).isTrue();
    }

    @Test
    void trustsTheBatchGatewayWhenTheTransportNamesNone() {
        String reading = "{\"sensor\":\"s-1\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,"
                + "\"unit\":\"m3/m3\"}";
        IncomingMessage anonymous = new IncomingMessage("lns", "elsewhere", null,
                batch(reading).getBytes(StandardCharsets.UTF_8), RECEIVED);

        assertThat(decoder.decode(anonymous).readings()).singleElement()
                .extracting(Reading::gateway).isEqualTo(GATEWAY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "{\"readings\":[]}", "{\"schema\":\"soil-readings/9\"}"})
    void recognisesByShapeOnly(String json) throws IOException {
        boolean expected = json.startsWith("{");
        assertThat(decoder.recognises(Json.mapper().readTree(json))).isEqualTo(expected);
    }

    @Test
    void followsRegistryChanges() {
        String reading = "{\"sensor\":\"s-9\",\"time\":\"2026-11-20T09:40:00Z\",\"quantity\":\"vwc\",\"value\":0.2,"
                + "\"unit\":\"m3/m3\"}";
        assertThat(reasons(decode(batch(reading)))).containsExactly("unknown_sensor");

        registry.put(new Sensor("s-9", GATEWAY, "f-9", "canonical"));
        assertThat(decode(batch(reading)).readings()).singleElement().extracting(Reading::field).isEqualTo("f-9");

        registry.remove("s-9");
        assertThat(reasons(decode(batch(reading)))).containsExactly("unknown_sensor");
    }

    static List<String> reasons(DecodeResult result) {
        return result.rejections().stream().map(Rejection::reason).toList();
    }
}
