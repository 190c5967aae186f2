package org.soilobs.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BearerTokensTest {

    private static final BearerTokens TOKENS =
            new BearerTokens(Set.of("admin-token-0123456789"), Set.of("read-token-0123456789"));

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                                | anonymous",
        "''                                  | anonymous",
        "Basic dXNlcjpwYXNz                   | anonymous",
        "Bearer admin-token-0123456789        | ADMIN",
        "bearer admin-token-0123456789        | ADMIN",
        "BEARER   read-token-0123456789       | READ",
        "Bearer read-token-0123456789         | READ",
        "Bearer admin-token-012345678         | invalid",
        "Bearer admin-token-0123456789x       | invalid",
        "Bearer                               | invalid",
    })
    void tellsTheRoleOfAToken(String header, String expected) {
        BearerTokens.Verdict verdict = TOKENS.verify(header);

        String actual = verdict instanceof BearerTokens.Known known ? known.role().name()
                : verdict instanceof BearerTokens.Invalid ? "invalid" : "anonymous";
        assertThat(actual).isEqualTo(expected);
    }
}
