package org.soilobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    @Test
    void defaultsListenOnLoopbackPort8080WithoutCrossOriginAccess() {
        ApiConfig config = ApiConfig.fromEnv(Map.of());

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.corsOrigins()).isEmpty();
        assertThat(config.dbPoolSize()).isEqualTo(8);
        assertThat(config.db().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/observatory");
        assertThat(config.kafkaBootstrap()).isNull();
    }

    @Test
    void readsEveryVariable() {
        ApiConfig config = ApiConfig.fromEnv(Map.of(
                "OBS_API_HOST", "0.0.0.0",
                "OBS_API_PORT", "0",
                "OBS_API_CORS_ORIGINS", " https://maps.example.org, http://localhost:5173 ,",
                "OBS_API_DB_POOL_SIZE", "3",
                "OBS_DB_URL", "jdbc:postgresql://db:5432/obs",
                "OBS_DB_USER", "api",
                "OBS_DB_PASSWORD", "s3cret",
                "OBS_KAFKA_BOOTSTRAP", " k1:9092,k2:9092 "));

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.kafkaBootstrap()).isEqualTo("k1:9092,k2:9092");
        assertThat(config.port()).isZero();
        assertThat(config.corsOrigins()).containsExactly("https://maps.example.org", "http://localhost:5173");
        assertThat(config.dbPoolSize()).isEqualTo(3);
        assertThat(config.db().user()).isEqualTo("api");
    }

    @Test
    void masksThePasswordWhenPrinted() {
        ApiConfig config = ApiConfig.fromEnv(Map.of("OBS_DB_PASSWORD", "s3cret"));

        assertThat(config.toString()).doesNotContain("s3cret").contains("****");
    }

    @Test
    void readsTokensAndLimitsAndNeverPrintsATokenAtStart() {
        ApiConfig config = ApiConfig.fromEnv(Map.of(
                "OBS_API_ADMIN_TOKENS", "admin-secret-0123456789",
                "OBS_API_READ_TOKENS", "read-secret-0123456789, read-secret-abcdefghij",
                "OBS_API_RATE_LIMIT", "0",
                "OBS_API_RATE_BURST", "10",
                "OBS_API_EXPORT_MAX_ROWS", "5000",
                "OBS_API_EXPORT_MAX_DAYS", "31"));

        assertThat(config.adminTokens()).containsExactly("admin-secret-0123456789");
        assertThat(config.readTokens()).containsExactlyInAnyOrder("read-secret-0123456789", "read-secret-abcdefghij");
        assertThat(config.rateLimit()).isZero();
        assertThat(config.rateBurst()).isEqualTo(10);
        assertThat(config.exportMaxRows()).isEqualTo(5000);
        assertThat(config.exportMaxDays()).isEqualTo(31);
        assertThat(config.toString()).doesNotContain("secret").contains("adminTokens=1 × ****", "readTokens=2 × ****");
    }

    @Test
    void limitsEachAddressByDefaultAndRefusesATokenWithTwoRoles() {
        ApiConfig config = ApiConfig.fromEnv(Map.of());

        assertThat(config.rateLimit()).isEqualTo(ApiConfig.DEFAULT_RATE_LIMIT);
        assertThat(config.adminTokens()).isEmpty();
        assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("OBS_API_ADMIN_TOKENS", "same-token-0123456789",
                "OBS_API_READ_TOKENS", "same-token-0123456789")))
                .hasMessageContaining("share a token");
    }

    @Test
    void aStarAllowsEveryOrigin() {
        assertThat(ApiConfig.fromEnv(Map.of("OBS_API_CORS_ORIGINS", "*")).anyOrigin()).isTrue();
        assertThat(ApiConfig.fromEnv(Map.of("OBS_API_CORS_ORIGINS", "https://a.org")).anyOrigin()).isFalse();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "OBS_API_PORT         | 80a                       | OBS_API_PORT must be an integer",
        "OBS_API_PORT         | 70000                     | OBS_API_PORT must be 0..65535",
        "OBS_API_PORT         | -1                        | OBS_API_PORT must be 0..65535",
        "OBS_API_HOST         | '   '                     | OBS_API_HOST must not be blank",
        "OBS_API_CORS_ORIGINS | maps.example.org          | OBS_API_CORS_ORIGINS takes origins like",
        "OBS_API_CORS_ORIGINS | https://a.org/path        | OBS_API_CORS_ORIGINS takes origins like",
        "OBS_API_CORS_ORIGINS | ftp://a.org               | OBS_API_CORS_ORIGINS takes origins like",
        "OBS_API_CORS_ORIGINS | '*,https://a.org'         | '*' allows every origin and stands alone",
        "OBS_API_DB_POOL_SIZE | 0                         | OBS_API_DB_POOL_SIZE must be 1..200",
        "OBS_DB_URL           | mysql://db/obs            | OBS_DB_URL must be a jdbc:postgresql: URL",
        "OBS_KAFKA_BOOTSTRAP  | kafka                     | OBS_KAFKA_BOOTSTRAP takes host:port",
        "OBS_KAFKA_BOOTSTRAP  | 'k1:9092,,k2:9092'        | OBS_KAFKA_BOOTSTRAP takes host:port",
        "OBS_KAFKA_BOOTSTRAP  | k1:90a                    | OBS_KAFKA_BOOTSTRAP takes host:port",
        "OBS_API_ADMIN_TOKENS | short                     | OBS_API_ADMIN_TOKENS takes comma-separated tokens",
        "OBS_API_READ_TOKENS  | 'has spaces in it 0123'   | OBS_API_READ_TOKENS takes comma-separated tokens",
        "OBS_API_RATE_LIMIT   | -1                        | OBS_API_RATE_LIMIT must be 0..1000000",
        "OBS_API_RATE_BURST   | 0                         | OBS_API_RATE_BURST must be 1..1000000",
        "OBS_API_EXPORT_MAX_ROWS | 0                      | OBS_API_EXPORT_MAX_ROWS must be positive",
        "OBS_API_EXPORT_MAX_DAYS | 0                      | OBS_API_EXPORT_MAX_DAYS must be 1..36600",
    })
    void refusesAnInvalidVariableNamingIt(String variable, String value, String message) {
        assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of(variable, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void keepsTheOriginsImmutable() {
        ApiConfig config = ApiConfig.fromEnv(Map.of("OBS_API_CORS_ORIGINS", "https://a.org"));

        assertThatThrownBy(() -> config.corsOrigins().add("https://b.org"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(config.corsOrigins()).isEqualTo(List.of("https://a.org"));
    }
}
