package org.soilobs.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntityTagsTest {

    private static final String TAG = "\"country.vwc.PT1H.v7.f1-0a1b2c3d\"";

    @Test
    void quotesAStrongTag() {
        assertThat(EntityTags.strong("country.vwc.PT1H.v7.f1-0a1b2c3d")).isEqualTo(TAG);
    }

    @Test
    void refusesCharactersATagCannotHold() {
        assertThatThrownBy(() -> EntityTags.strong("a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntityTags.strong("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "If-None-Match: {0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                                                   | false",
        "''                                                     | false",
        "'\"country.vwc.PT1H.v7.f1-0a1b2c3d\"'                  | true",
        "'W/\"country.vwc.PT1H.v7.f1-0a1b2c3d\"'                | true",
        "'\"other\", \"country.vwc.PT1H.v7.f1-0a1b2c3d\"'       | true",
        "'\"other\",W/\"country.vwc.PT1H.v7.f1-0a1b2c3d\"'      | true",
        "'*'                                                    | true",
        "'\"country.vwc.PT1H.v6.f1-0a1b2c3d\"'                  | false",
        "'country.vwc.PT1H.v7.f1-0a1b2c3d'                      | false",
        "'\"country.vwc.PT1H.v7\"'                              | false",
    })
    void matchesIfNoneMatchWeakly(String header, boolean matches) {
        assertThat(EntityTags.matches(header, TAG)).isEqualTo(matches);
    }
}
