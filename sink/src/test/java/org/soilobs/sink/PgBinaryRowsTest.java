package org.soilobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PgBinaryRowsTest {

    private static final int HEADER = 19;

    @Test
    void framesRowsWithTheSignatureHeaderAndTrailer() {
        PgBinaryRows rows = new PgBinaryRows().row(1).int4(7).finish();
        assertThat(hex(rows, 0, rows.length())).isEqualTo(
                "5047434f50590aff0d0a00" + "00000000" + "00000000" // signature, flags, header extension
                        + "0001" + "00000004" + "00000007"            // one field: an int4 of 7
                        + "ffff");                                    // trailer
        assertThat(rows.rows()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} is {1} microseconds after 2000-01-01")
    @CsvSource({
        "2000-01-01T00:00:00Z,        0000000000000000",
        "2000-01-01T00:00:01.000001Z, 00000000000f4241",
        "1999-12-31T23:59:59Z,        fffffffffff0bdc0",
        // nanoseconds are truncated, as the server keeps microseconds
        "2000-01-01T00:00:00.000000999Z, 0000000000000000",
    })
    void encodesTimestampsAsMicrosecondsSince2000(String time, String micros) {
        PgBinaryRows rows = new PgBinaryRows().timestamptz(Instant.parse(time));
        assertThat(hex(rows, HEADER, rows.length())).isEqualTo("00000008" + micros);
    }

    @Test
    void encodesATextArrayWithItsDimensionAndElementType() {
        PgBinaryRows rows = new PgBinaryRows().textArray(List.of("G", "S"));
        assertThat(hex(rows, HEADER, rows.length())).isEqualTo("0000001e"   // 30 bytes follow
                + "00000001" + "00000000" + "00000019"                     // one dimension, no nulls, text
                + "00000002" + "00000001"                                  // two elements from index 1
                + "00000001" + "47" + "00000001" + "53");
    }

    @Test
    void encodesAnEmptyArrayWithoutDimensions() {
        PgBinaryRows rows = new PgBinaryRows().textArray(List.of());
        assertThat(hex(rows, HEADER, rows.length())).isEqualTo("0000000c" + "00000000" + "00000000" + "00000019");
    }

    @Test
    void encodesNullsJsonbAndUtf8Text() {
        PgBinaryRows rows = new PgBinaryRows().float8((Double) null).jsonb("{}").text("é");
        assertThat(hex(rows, HEADER, rows.length())).isEqualTo("ffffffff" + "00000003017b7d" + "00000002c3a9");
    }

    @Test
    void refusesASmallintOutOfRange() {
        assertThatThrownBy(() -> new PgBinaryRows().int2(40_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startsAFreshCopyAfterReset() {
        PgBinaryRows rows = new PgBinaryRows().row(1).int8(1).finish();
        rows.reset();
        assertThat(rows.length()).isEqualTo(HEADER);
        assertThat(rows.rows()).isZero();
    }

    private static String hex(PgBinaryRows rows, int from, int to) {
        return HexFormat.of().formatHex(Arrays.copyOfRange(rows.array(), from, to));
    }
}
