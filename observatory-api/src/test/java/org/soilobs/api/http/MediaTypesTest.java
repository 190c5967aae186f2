package org.soilobs.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {

    @ParameterizedTest(name = "Accept: {0} -> csv {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                                            | false",
        "text/csv                                        | true",
        "TEXT/CSV                                        | true",
        "text/csv; charset=utf-8                         | true",
        "application/json                                | false",
        "*/*                                             | false",
        "text/html,application/xhtml+xml,*/*;q=0.8       | false",
        "application/json;q=0.5, text/csv                | true",
        "text/csv;q=0.4, application/json                | false",
        "text/csv;q=0                                    | false",
        "text/csv;q=abc                                  | false",
        "text/csv, */*                                   | true",
    })
    void prefersCsvOnlyWhenAskedExplicitly(String accept, boolean csv) {
        assertThat(MediaTypes.prefersCsv(accept)).isEqualTo(csv);
    }

    @ParameterizedTest(name = "Accept-Encoding: {0} -> gzip {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                       | false",
        "gzip                       | true",
        "GZIP                       | true",
        "x-gzip                     | true",
        "gzip, deflate, br, zstd    | true",
        "br;q=1.0, gzip;q=0.8       | true",
        "br                         | false",
        "identity                   | false",
        "gzip;q=0                   | false",
        "*                          | true",
        "*;q=0                      | false",
        "gzip;q=0, *                | false",
        "br, *;q=0.1                | true",
    })
    void acceptsGzipOnlyWhenTheClientSaysSo(String acceptEncoding, boolean gzip) {
        assertThat(MediaTypes.acceptsGzip(acceptEncoding)).isEqualTo(gzip);
    }
}
