package org.soilobs.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceTypeTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(value = {
        "OBSERVATORY,   soil/v1/gw-fr-beauce-1/up, gw-fr-beauce-1",
        "OBSERVATORY,   soil/v1/a/up, a",
        "OBSERVATORY,   soil/v1//up, NONE",
        "OBSERVATORY,   soil/v1/a/b/up, NONE",
        "OBSERVATORY,   soil/v2/a/up, NONE",
        "OBSERVATORY,   soil/v1/a/down, NONE",
        "OBSERVATORY,   soil/v1/up, NONE",
        "OBSERVATORY,   v3/app@tenant/devices/dev/up, NONE",
        "TTN_V3,        v3/soil-observatory@ttn/devices/lse01-field-fr-0042/up, soil-observatory@ttn",
        "TTN_V3,        v3/app/devices/dev/join, NONE",
        "TTN_V3,        v3/app/devices//up, NONE",
        "TTN_V3,        soil/v1/gw-1/up, NONE",
        "CHIRPSTACK_V4, application/17c82e96/device/a84041000181a3b3/event/up, 17c82e96",
        "CHIRPSTACK_V4, application/17c82e96/device/a84041000181a3b3/event/join, NONE",
        "CHIRPSTACK_V4, application/17c82e96/device/event/up, NONE",
    })
    void namesTheGatewayOfAnUplinkTopic(SourceType type, String topic, String gateway) {
        assertThat(type.gatewayOf(topic).orElse("NONE")).isEqualTo(gateway);
    }

    @ParameterizedTest
    @CsvSource({"gw-1", "gw-fr-beauce-1"})
    void readsTheGatewayOfTheTopicGatewaysPublishTo(String gateway) {
        assertThat(SourceType.OBSERVATORY.gatewayOf(GatewayTopic.of(gateway))).contains(gateway);
    }
}
