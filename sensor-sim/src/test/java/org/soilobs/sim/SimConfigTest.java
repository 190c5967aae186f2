package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimConfigTest {

    @Test
    void defaultsWithoutEnvironment() {
        SimConfig config = SimConfig.fromEnv(Map.of());

        assertThat(config).isEqualTo(new SimConfig("tcp://127.0.0.1:1883", 42, 120, 200, "soilobs-sim-42"));
        assertThat(config.tickSeconds()).isEqualTo(3.0);
    }

    @Test
    void readsTheEnvironment() {
        SimConfig config = SimConfig.fromEnv(Map.of("OBS_MQTT_URL", "tcp://broker:1883", "OBS_SIM_SEED", "7",
                "OBS_SIM_FIELDS", "400", "OBS_SIM_RATE", "20000"));

        assertThat(config).isEqualTo(new SimConfig("tcp://broker:1883", 7, 400, 20000, "soilobs-sim-7"));
    }

    @Test
    void masksThePasswordOfTheBrokerUrl() {
        SimConfig config = SimConfig.fromEnv(Map.of("OBS_MQTT_URL", "ssl://sim:s3cret@broker:8883"));

        assertThat(config.toString()).contains("ssl://sim:***@broker:8883").doesNotContain("s3cret");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "OBS_SIM_FIELDS, 0",
        "OBS_SIM_FIELDS, many",
        "OBS_SIM_RATE, -5",
        "OBS_SIM_RATE, NaN",
        "OBS_SIM_RATE, 1000000000",
        "OBS_SIM_SEED, 1.5",
        "OBS_MQTT_URL, http://broker",
        "OBS_MQTT_URL, broker:1883",
    })
    void namesTheVariableThatIsWrong(String name, String value) {
        assertThatThrownBy(() -> SimConfig.fromEnv(Map.of(name, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name);
    }
}
