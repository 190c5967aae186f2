package org.soilobs.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;
import org.soilobs.model.Sensor;

class SenmlDecoderTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-20T10:00:00Z");
    private static final String BASE = "{\"bn\":\"urn:dev:mac:0024befffe804ff1:\",\"bt\":1795168800,";

    private final PayloadDecoding decoding = new PayloadDecoding(
            List.of(new SenmlDecoder(registry(), CanonicalDecoder.DEFAULT_FUTURE_TOLERANCE)), 64 * 1024);

    private static SensorRegistry registry() {
        SensorRegistry registry = new SensorRegistry();
        registry.put(new Sensor("0024befffe804ff1", "gw-1", "f-1", "probe"));
        registry.put(new Sensor("probe-7", "gw-1", "f-7", "probe"));
        registry.put(new Sensor("probe-9", "gw-2", "f-9", "probe"));
        return registry;
    }

    private DecodeResult decode(String payload) {
        return decoding.decode(new IncomingMessage("test", "soil/v1/gw-1/up", "gw-1",
                payload.getBytes(StandardCharsets.UTF_8), RECEIVED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // pack | quantity | value in the canonical unit | time | top | bottom | sensor
        "[{\"bn\":\"urn:dev:mac:0024BEFFFE804FF1:\",\"n\":\"vwc\",\"u\":\"%\",\"v\":27,\"bt\":1795168000}] | vwc | 0.27 | 2026-11-20T09:46:40Z | 0 | 10 | 0024befffe804ff1",
        "[{\"bn\":\"probe-7/\",\"n\":\"temperature_5-15cm\",\"u\":\"K\",\"v\":283.15,\"t\":-60}] | soil_temperature | 10.0 | 2026-11-20T09:59:00Z | 5 | 15 | probe-7",
        "[{\"n\":\"probe-7:ec_30cm\",\"u\":\"uS/cm\",\"v\":410,\"t\":1795168000.5}] | ec | 0.41 | 2026-11-20T09:46:40.500Z | 0 | 30 | probe-7",
        "[{\"bn\":\"probe-7:\",\"bu\":\"g/kg\",\"bv\":10,\"n\":\"soc\",\"v\":7.5,\"bt\":1795168000}] | soc | 17.5 | 2026-11-20T09:46:40Z | 0 | 30 | probe-7",
        "[{\"bn\":\"probe-7:\",\"n\":\"ph\",\"u\":\"[pH]\",\"v\":6.5,\"ut\":600,\"x\":1}] | ph | 6.5 | 2026-11-20T10:00:00Z | 0 | 10 | probe-7",
    })
    void resolvesBaseFieldsNamesUnitsAndTimes(String pack, String quantity, double value, String time, int top,
            int bottom, String sensor) {
        DecodeResult result = decode(pack);

        assertThat(result.rejections()).isEmpty();
        assertThat(result.readings()).singleElement().satisfies(reading -> {
            assertThat(reading.quantity()).isEqualTo(Quantity.fromId(quantity));
            assertThat(reading.value()).isCloseTo(value, within(1e-9));
            assertThat(reading.time()).isEqualTo(Instant.parse(time));
            assertThat(reading.depthTopCm()).isEqualTo(top);
            assertThat(reading.depthBottomCm()).isEqualTo(bottom);
            assertThat(reading.sensor()).isEqualTo(sensor);
            assertThat(reading.seq()).isZero();
            assertThat(reading.gateway()).isEqualTo("gw-1");
        });
    }

    @Test
    void repeatedNamesAreATimeSeriesAndBaseFieldsCarryOver() {
        DecodeResult result = decode("[" + BASE + "\"bu\":\"/\",\"n\":\"vwc_10cm\",\"v\":0.2},"
                + "{\"n\":\"vwc_10cm\",\"t\":60,\"v\":0.21},{\"n\":\"vwc_10cm\",\"t\":120,\"v\":0.22}]");

        assertThat(result.rejections()).isEmpty();
        assertThat(result.readings()).extracting(Reading::time).containsExactly(Instant.parse("2026-11-20T10:00:00Z"),
                Instant.parse("2026-11-20T10:01:00Z"), Instant.parse("2026-11-20T10:02:00Z"));
        assertThat(result.readings()).extracting(Reading::value).containsExactly(0.2, 0.21, 0.22);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "invalid_value      | {\"n\":\"vwc\",\"u\":\"/\",\"vs\":\"0.2\"}",
        "invalid_value      | {\"n\":\"vwc\",\"u\":\"/\",\"vb\":true}",
        "invalid_value      | {\"n\":\"vwc\",\"u\":\"/\",\"vd\":\"AQI\"}",
        "invalid_value      | {\"n\":\"vwc\",\"u\":\"/\",\"v\":\"0.2\"}",
        "invalid_value      | {\"n\":\"vwc\",\"u\":\"/\",\"v\":true}",
        "invalid_value      | {\"n\":\"vwc\",\"u\":\"/\"}",
        "invalid_value      | {\"n\":\"ec\",\"u\":\"S/m\",\"v\":1e400}",
        "value_out_of_range | {\"n\":\"vwc\",\"u\":\"/\",\"v\":1.2}",
        "value_out_of_range | {\"n\":\"vwc\",\"u\":\"%\",\"v\":-1}",
        "unknown_quantity   | {\"n\":\"voltage\",\"u\":\"V\",\"v\":3.6}",
        "unknown_quantity   | {\"n\":\"soc_stock\",\"u\":\"t/ha\",\"v\":58.5}",
        "unknown_quantity   | {\"n\":\"vwc_x\",\"u\":\"/\",\"v\":0.2}",
        "unknown_unit       | {\"n\":\"vwc\",\"v\":0.2}",
        "unknown_unit       | {\"n\":\"vwc\",\"u\":\"furlong\",\"v\":0.2}",
        "unknown_unit       | {\"n\":\"vwc\",\"u\":5,\"v\":0.2}",
        "unit_mismatch      | {\"n\":\"vwc\",\"u\":\"Cel\",\"v\":0.2}",
        "invalid_time       | {\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2,\"t\":\"now\"}",
        "invalid_time       | {\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2,\"t\":1e300}",
        "invalid_time       | {\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2,\"t\":-6000000000}",
        "time_in_future     | {\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2,\"t\":3600}",
        "invalid_depth      | {\"n\":\"vwc_30-10cm\",\"u\":\"/\",\"v\":0.2}",
        "invalid_depth      | {\"n\":\"vwc_2000cm\",\"u\":\"/\",\"v\":0.2}",
        "invalid_reading    | {\"n\":7,\"u\":\"/\",\"v\":0.2}",
        "invalid_reading    | 42",
        "unknown_sensor     | {\"bn\":\"urn:dev:mac:00000000000000aa:\",\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2}",
        "unknown_sensor     | {\"bn\":\"\",\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2}",
        "sensor_gateway_mismatch | {\"bn\":\"probe-9:\",\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2}",
    })
    void rejectsABadRecordWithItsReasonAndKeepsTheOthers(String reason, String bad) {
        DecodeResult result = decode("[" + BASE + "\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2}," + bad
                + ",{\"bn\":\"urn:dev:mac:0024befffe804ff1:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":9.5}]");

        assertThat(result.readings()).extracting(Reading::quantity)
                .containsExactly(Quantity.VWC, Quantity.SOIL_TEMPERATURE);
        assertThat(result.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.reason()).isEqualTo(reason);
            assertThat(rejection.index()).isEqualTo(1);
            assertThat(rejection.detail()).isNotBlank();
            assertThat(new String(Base64.getDecoder().decode(rejection.payloadBase64()), StandardCharsets.UTF_8))
                    .isEqualTo(bad);
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "unsupported_mandatory_field | [{\"bn\":\"probe-7:\",\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2,\"bt\":1795168000},{\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2,\"rn_\":1}]",
        "unsupported_mandatory_field | [{\"bn\":\"probe-7:\",\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2,\"_\":1}]",
        "unsupported_schema          | [{\"bn\":\"probe-7:\",\"bver\":11,\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2}]",
        "invalid_batch               | [{\"bn\":7,\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2}]",
        "invalid_batch               | [{\"bn\":\"probe-7:\",\"bt\":\"2026\",\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2}]",
        "invalid_batch               | [{\"bn\":\"probe-7:\",\"bver\":1.5,\"n\":\"vwc\",\"u\":\"/\",\"v\":0.2}]",
        "invalid_batch               | [{\"bn\":\"probe-7:\",\"bu\":null,\"n\":\"vwc\",\"v\":0.2}]",
    })
    void rejectsAPackItCannotResolveAsAWhole(String reason, String pack) {
        DecodeResult result = decode(pack);

        assertThat(result.readings()).isEmpty();
        assertThat(result.rejections()).extracting(Rejection::reason, Rejection::index).containsExactly(
                tuple(reason, -1));
    }

    @Test
    void anEmptyPackIsEmpty() {
        assertThat(decode("[]").isEmpty()).isTrue();
    }
}
