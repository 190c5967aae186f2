package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimOptionsTest {

    @Test
    void defaultsToLiveCanonicalWithoutFaultsOverOneConnection() {
        SimOptions options = SimOptions.fromEnv(Map.of());

        assertThat(options.mode()).isEqualTo(SimOptions.Mode.LIVE);
        assertThat(options.connections()).isEqualTo(1);
        assertThat(options.formats()).isEqualTo(FormatMix.CANONICAL_ONLY);
        assertThat(options.faults()).isEqualTo(FaultRates.NONE);
        assertThat(options.step()).isEqualTo(Duration.ofMinutes(15));
        assertThat(Duration.between(options.from(), options.to())).isEqualTo(Duration.ofDays(365));
        assertThat(options.truth()).isNull();
    }

    @Test
    void optionsOverrideTheEnvironment() {
        Map<String, String> env = SimOptions.overlay(Map.of("OBS_SIM_SEED", "1", "OBS_SIM_MODE", "live"),
                List.of("--mode", "backfill", "--seed=9", "--from", "2024-01-01", "--to", "2024-02-01T06:00:00Z",
                        "--faults", "spike:0.01,late:0.02", "--formats", "senml:1,ttn:3", "--truth", "t.jsonl"));
        SimOptions options = SimOptions.fromEnv(env);

        assertThat(options.mode()).isEqualTo(SimOptions.Mode.BACKFILL);
        assertThat(options.sim().seed()).isEqualTo(9);
        assertThat(options.from()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(options.to()).isEqualTo(Instant.parse("2024-02-01T06:00:00Z"));
        assertThat(options.faults().spike()).isEqualTo(0.01);
        assertThat(options.faults().late()).isEqualTo(0.02);
        assertThat(options.faults().toString()).isEqualTo("spike:0.01,late:0.02");
        assertThat(options.formats().weights()).isEqualTo(Map.of(WireFormat.SENML, 1.0, WireFormat.TTN, 3.0));
        assertThat(options.truth()).isEqualTo(Path.of("t.jsonl"));
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = ';', value = {
        "--mode; sideways; OBS_SIM_MODE",
        "--formats; canonical:70,lorawan:30; unknown format 'lorawan'",
        "--faults; spike:lots; spike rate is not a number",
        "--faults; gremlins:0.1; expected name:rate",
        "--faults; spike:0.9; fault rates must be in 0..0.5",
        "--connections; 0; OBS_SIM_CONNECTIONS",
        "--step; 15 minutes; OBS_SIM_STEP",
        "--from; 2030-01-01; must be before OBS_SIM_TO",
        "--mode; replay; needs a file",
        "--colour; blue; unknown option --colour"})
    void refusesBadOptionsNamingThem(String option, String value, String message) {
        assertThatThrownBy(() -> SimOptions.fromEnv(SimOptions.overlay(Map.of("OBS_SIM_TO", "2025-01-01"),
                List.of(option, value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void anOptionWithoutAValueIsRefused() {
        assertThatThrownBy(() -> SimOptions.overlay(Map.of(), List.of("--seed")))
                .hasMessageContaining("--seed needs a value");
    }

    @Test
    void helpListsEveryModeAndOption() {
        assertThat(SimulatorApp.USAGE).contains("live", "backfill", "replay");
        SimOptions.OPTIONS.forEach((option, variable) -> assertThat(SimulatorApp.USAGE).contains(option, variable));
    }

    @ParameterizedTest(name = "{0} reports → {1} per round")
    @CsvSource({"96, 8", "97, 1", "100, 10", "1, 1", "35040, 10"})
    void backfillRoundsDivideTheSpanExactly(long reports, int perRound) {
        assertThat(SimulatorApp.backfillReportsPerRound(reports)).isEqualTo(perRound);
    }
}
