package org.soilobs.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayTopicTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {
        "soil/v1/gw-fr-beauce-1/up, gw-fr-beauce-1",
        "soil/v1/a/up, a",
        "soil/v1//up, NONE",
        "soil/v1/a/b/up, NONE",
        "soil/v2/a/up, NONE",
        "soil/v1/a/down, NONE",
        "soil/v1/up, NONE",
        "v3/app@tenant/devices/dev/up, NONE",
    })
    void namesTheGatewayOfAnUplinkTopic(String topic, String gateway) {
        assertThat(GatewayTopic.gatewayOf(topic).orElse("NONE")).isEqualTo(gateway);
    }

    @ParameterizedTest
    @CsvSource({"gw-1", "gw-fr-beauce-1"})
    void buildsTheTopicItParses(String gateway) {
        assertThat(GatewayTopic.gatewayOf(GatewayTopic.of(gateway))).contains(gateway);
    }
}
