package org.soilobs.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MqttCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsThroughItsFileAndTellsRolesApart() {
        Path file = dir.resolve("credentials");
        MqttCredentials.of(Map.of("gw-1", "p1"), Map.of("ingest", "p2")).write(file);
        MqttCredentials loaded = MqttCredentials.load(file);

        assertThat(loaded.authenticate("gw-1", "p1".getBytes(StandardCharsets.UTF_8))).isEqualTo(MqttCredentials.Role.GATEWAY);
        assertThat(loaded.authenticate("ingest", "p2".getBytes(StandardCharsets.UTF_8))).isEqualTo(MqttCredentials.Role.INGEST);
        assertThat(loaded.authenticate("gw-1", "p2".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(loaded.toString()).doesNotContain("p1", "p2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gw/1", "gw+", "#", "", "gw 1"})
    void refusesIdentitiesThatAreNotOneTopicLevel(String name) {
        assertThatThrownBy(() -> MqttCredentials.of(Map.of(name, "p"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheLineOfAMalformedFile() throws Exception {
        Path file = dir.resolve("bad");
        Files.writeString(file, "# comment\ngateway gw-1 p1\nadmin root toor\n");
        assertThatThrownBy(() -> MqttCredentials.load(file)).hasMessageContaining("line 3");
    }
}
