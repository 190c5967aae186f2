package org.soilobs.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CsvTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "plain        | plain",
        "'a,b'        | '\"a,b\"'",
        "'say \"hi\"' | '\"say \"\"hi\"\"\"'",
        "''           | ''",
    })
    void quotesOnlyWhatRfc4180Requires(String value, String field) {
        assertThat(Csv.field(value)).isEqualTo(field);
    }

    @Test
    void quotesLineBreaks() {
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.field("cr\rhere")).isEqualTo("\"cr\rhere\"");
    }

    @Test
    void writesNullAsAnEmptyFieldAndEndsRowsWithCrLf() {
        String text = new Csv().row(List.of("a", "b")).row(Arrays.asList("1", null)).toString();

        assertThat(text).isEqualTo("a,b\r\n1,\r\n");
    }
}
