package org.soilobs.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Sensor;

/** The Things Stack and ChirpStack uplinks through the device model alias tables. */
class LorawanDecoderTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-20T10:00:00Z");
    private static final String APP = "app-1";

    private final PayloadDecoding decoding = PayloadDecoding.allFormats(registry(), 64 * 1024,
            CanonicalDecoder.DEFAULT_FUTURE_TOLERANCE);

    private static SensorRegistry registry() {
        SensorRegistry registry = new SensorRegistry();
        registry.put(new Sensor("a840410000000001", APP, "f-1", "dragino-lse01"));
        registry.put(new Sensor("24e124126a000001", APP, "f-2", "Milesight EM500-SMTC"));
        registry.put(new Sensor("a840410000000002", APP, "f-3", "acme-probe"));
        registry.put(new Sensor("a840410000000003", "app-2", "f-4", "dragino-lse01"));
        return registry;
    }

    private static String ttn(String devEui, String decoded) {
        return "{\"end_device_ids\":{\"device_id\":\"d\",\"dev_eui\":\"" + devEui + "\"},"
                + "\"received_at\":\"2026-11-20T09:40:12.114Z\",\"uplink_message\":{\"f_cnt\":42,"
                + (decoded == null ? "" : "\"decoded_payload\":" + decoded + ",")
                + "\"received_at\":\"2026-11-20T09:40:12.001Z\"}}";
    }

    private static String chirpstack(String devEui, String object) {
        return "{\"time\":\"2026-11-20T09:40:11.902115+00:00\",\"deviceInfo\":{\"devEui\":\"" + devEui + "\"},"
                + "\"fCnt\":7" + (object == null ? "" : ",\"object\":" + object) + "}";
    }

    private DecodeResult decode(String payload) {
        return decoding.decode(new IncomingMessage("test", "v3/app-1/devices/d/up", APP,
                payload.getBytes(StandardCharsets.UTF_8), RECEIVED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // The TTN device repository's lse01-121.js: numbers and numeric strings, other names for battery and probe.
        "{\"BatV\":3.6,\"temp_DS18B20\":\"21.00\",\"temp_SOIL\":\"-1.50\",\"water_SOIL\":\"31.20\",\"conduct_SOIL\":640,\"s_flag\":1,\"i_flag\":0,\"Mod\":0}",
        // The TTN device repository's lse01.js: the unit printed after the value.
        "{\"Bat\":\"3.6 V\",\"TempC_DS18B20\":\"21.00 °C\",\"water_SOIL\":\"31.20 %\",\"temp_SOIL\":\"-1.50 °C\",\"conduct_SOIL\":\"640 uS/cm\"}",
        // Dragino's own decoder: numbers as strings, flags under other names.
        "{\"Bat\":3.6,\"TempC_DS18B20\":\"21.00\",\"water_SOIL\":\"31.20\",\"temp_SOIL\":\"-1.50\",\"conduct_SOIL\":640,\"Sensor_flag\":1,\"Interrupt_flag\":0}",
    })
    void mapsEveryLse01DecoderVariantToTheSameReadings(String decoded) {
        DecodeResult result = decode(ttn("A840410000000001", decoded));

        assertThat(result.rejections()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity).containsExactlyInAnyOrder(Quantity.VWC,
                Quantity.SOIL_TEMPERATURE, Quantity.EC);
        for (Reading reading : result.readings()) {
            double expected = switch (reading.quantity()) {
                case VWC -> 0.312;
                case SOIL_TEMPERATURE -> -1.5;
                case EC -> 0.64;
                default -> throw new AssertionError(reading);
            };
            assertThat(reading.value()).isCloseTo(expected, within(1e-9));
            assertThat(reading.sensor()).isEqualTo("a840410000000001");
            assertThat(reading.field()).isEqualTo("f-1");
            assertThat(reading.seq()).isEqualTo(42);
            assertThat(reading.time()).isEqualTo(Instant.parse("2026-11-20T09:40:12.001Z"));
            assertThat(reading.depthTopCm()).isZero();
            assertThat(reading.depthBottomCm()).isEqualTo(10);
        }
    }

    @Test
    void mapsTheMilesightEm500SmtcExampleFromAChirpstackEvent() {
        // The vendor decoder's example: 017564 03671901 046873 057FF000.
        DecodeResult result = decode(chirpstack("24e124126a000001",
                "{\"battery\":100,\"temperature\":28.1,\"moisture\":57.5,\"ec\":240}"));

        assertThat(result.rejections()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::seq, Reading::time)
                .containsExactly(
                        tuple(Quantity.SOIL_TEMPERATURE, 28.1, 7L, Instant.parse("2026-11-20T09:40:11.902115Z")),
                        tuple(Quantity.VWC, 0.575, 7L, Instant.parse("2026-11-20T09:40:11.902115Z")),
                        tuple(Quantity.EC, 0.24, 7L, Instant.parse("2026-11-20T09:40:11.902115Z")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "unknown_sensor          | A84041000000FFFF | {\"water_SOIL\":20}",
        "unknown_sensor          | not-an-eui       | {\"water_SOIL\":20}",
        "sensor_gateway_mismatch | a840410000000003 | {\"water_SOIL\":20}",
        "unknown_device_model    | a840410000000002 | {\"water_SOIL\":20}",
        "missing_decoded_payload | a840410000000001 | ",
        "missing_decoded_payload | a840410000000001 | [20]",
        "no_soil_fields          | a840410000000001 | {\"Bat\":3.6,\"Mod\":1,\"Raw_water_SOIL\":900}",
    })
    void rejectsAnUplinkItCannotMapAsAWhole(String reason, String devEui, String decoded) {
        for (String payload : new String[] {ttn(devEui, decoded), chirpstack(devEui, decoded)}) {
            DecodeResult result = decode(payload);

            assertThat(result.readings()).as(payload).isEmpty();
            assertThat(result.rejections()).as(payload).extracting(Rejection::reason, Rejection::index)
                    .containsExactly(tuple(reason, -1));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "invalid_value      | \"wet\"",
        "invalid_value      | true",
        "invalid_value      | null",
        "invalid_value      | \"\"",
        "unit_mismatch      | \"31.2 °C\"",
        "unknown_unit       | \"31.2 furlong\"",
        "value_out_of_range | \"131.2\"",
        "value_out_of_range | -3",
        "invalid_value      | \"1e999\"",
    })
    void rejectsABadFieldWithItsReasonAndKeepsTheOthers(String reason, String water) {
        DecodeResult result = decode(ttn("a840410000000001",
                "{\"Bat\":3.6,\"water_SOIL\":" + water + ",\"temp_SOIL\":\"12.5\"}"));

        assertThat(result.readings()).extracting(Reading::quantity).containsExactly(Quantity.SOIL_TEMPERATURE);
        assertThat(result.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.reason()).isEqualTo(reason);
            assertThat(rejection.index()).isEqualTo(1);
            assertThat(new String(Base64.getDecoder().decode(rejection.payloadBase64()), StandardCharsets.UTF_8))
                    .isEqualTo("{\"water_SOIL\":" + water + "}");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "invalid_time   | \"yesterday\"",
        "invalid_time   | 1795168800",
        "invalid_time   | \"1850-01-01T00:00:00Z\"",
        "time_in_future | \"2026-11-20T11:00:00Z\"",
    })
    void rejectsReadingsOfAnUplinkWithABadTime(String reason, String time) {
        DecodeResult result = decode("{\"time\":" + time + ",\"deviceInfo\":{\"devEui\":\"a840410000000001\"},"
                + "\"object\":{\"water_SOIL\":20,\"temp_SOIL\":12}}");

        assertThat(result.readings()).isEmpty();
        assertThat(result.rejections()).extracting(Rejection::reason, Rejection::index)
                .containsExactly(tuple(reason, 0), tuple(reason, 1));
    }

    @Test
    void anUplinkWithoutTimeTakesTheReceiveTime() {
        DecodeResult result = decode("{\"deviceInfo\":{\"devEui\":\"a840410000000001\"},\"object\":{\"water_SOIL\":20}}");

        assertThat(result.readings()).extracting(Reading::time, Reading::seq).containsExactly(tuple(RECEIVED, 0L));
    }
}
