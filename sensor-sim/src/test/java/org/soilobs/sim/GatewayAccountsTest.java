package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.reference.ReferenceData;

/** Per-gateway credentials in the configuration, and the accounts file for deploy/mosquitto/make-passwd.sh. */
class GatewayAccountsTest {

    @TempDir
    Path dir;

    @Test
    void withoutAPasswordTheGatewaysShareConnections() {
        SimOptions options = SimOptions.fromEnv(Map.of());
        assertThat(options.perGatewayConnections()).isFalse();
        assertThat(options.gatewayPassword()).isNull();
    }

    @Test
    void thePasswordIsUsedButNeverShown() {
        SimOptions options = SimOptions.fromEnv(Map.of("OBS_SIM_GATEWAY_PASSWORD", "s3cret-fleet"));
        assertThat(options.perGatewayConnections()).isTrue();
        assertThat(options.gatewayPassword()).isEqualTo("s3cret-fleet");
        assertThat(options.toString()).doesNotContain("s3cret-fleet").contains("one per gateway");
    }

    @Test
    void thePasswordCanComeFromAFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "from-a-file\n");
        assertThat(SimOptions.fromEnv(Map.of("OBS_SIM_GATEWAY_PASSWORD_FILE", secret.toString())).gatewayPassword())
                .isEqualTo("from-a-file");
        assertThatThrownBy(() -> SimOptions.fromEnv(Map.of("OBS_SIM_GATEWAY_PASSWORD_FILE", secret.toString(),
                "OBS_SIM_GATEWAY_PASSWORD", "x"))).hasMessageContaining("not both");
        assertThatThrownBy(() -> SimOptions.fromEnv(Map.of("OBS_SIM_GATEWAY_PASSWORD_FILE",
                dir.resolve("missing").toString()))).hasMessageContaining("cannot read OBS_SIM_GATEWAY_PASSWORD_FILE");
    }

    @Test
    void replayRefusesPerGatewayCredentials() throws Exception {
        Path csv = Files.writeString(dir.resolve("r.csv"), CsvReplay.HEADER + "\n");
        assertThatThrownBy(() -> SimOptions.fromEnv(Map.of("OBS_SIM_MODE", "replay", "OBS_SIM_REPLAY", csv.toString(),
                "OBS_SIM_GATEWAY_PASSWORD", "x"))).hasMessageContaining("live and backfill");
    }

    @Test
    void networkServerFormatsCannotBePublishedAsAGateway() {
        assertThatThrownBy(() -> SimOptions.fromEnv(Map.of("OBS_SIM_FORMATS", "canonical:80,ttn:20",
                "OBS_SIM_GATEWAY_PASSWORD", "x"))).hasMessageContaining("canonical and senml");
        assertThat(SimOptions.fromEnv(Map.of("OBS_SIM_FORMATS", "canonical:80,senml:20", "OBS_SIM_GATEWAY_PASSWORD",
                "x")).perGatewayConnections()).isTrue();
    }

    @Test
    void gatewaysWritesTheAccountsFileOfTheFleetOwnerReadableOnly() throws Exception {
        Path out = dir.resolve("gateways");
        int status = SimulatorApp.gateways(List.of("--passwords", "--out", out.toString(), "--seed", "7", "--fields",
                "4"), Map.of("OBS_SIM_GATEWAY_PASSWORD", "fleet-pw"));
        assertThat(status).isZero();
        List<String> expected = Fleet.generate(7, 4, ReferenceData.load()).gateways().stream()
                .map(gateway -> gateway + " fleet-pw").toList();
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).containsExactlyElementsOf(expected);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void passwordsWithoutAPasswordIsAConfigurationError() {
        assertThat(SimulatorApp.gateways(List.of("--passwords", "--fields", "2"), Map.of())).isEqualTo(2);
    }
}
