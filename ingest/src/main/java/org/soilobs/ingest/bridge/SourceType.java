package org.soilobs.ingest.bridge;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of MQTT source ingest reads, each with its topic layout: the default filter, and which
 * topic level names the gateway that vouches for the message (the sensors it may speak for are the
 * ones registered to it).
 */
public enum SourceType {
    /** The observatory's broker: {@code soil/v1/{gateway}/up}; the gateway is also the publisher's username. */
    OBSERVATORY("observatory", GatewayTopic.FILTER, 2),
    /**
     * The Things Stack v3: {@code v3/{application id}@{tenant id}/devices/{device id}/up}; the "gateway" is
     * the application ({@code app@tenant}), whatever radio gateways relayed the frame.
     */
    TTN_V3("ttn-v3", "v3/+/devices/+/up", 1),
    /** ChirpStack v4: {@code application/{application id}/device/{devEui}/event/up}; the gateway is the application. */
    CHIRPSTACK_V4("chirpstack-v4", "application/+/device/+/event/up", 1);

    private final String id;
    private final String defaultFilter;
    private final String[] levels;
    private final int gatewayLevel;

    SourceType(String id, String defaultFilter, int gatewayLevel) {
        this.id = id;
        this.defaultFilter = defaultFilter;
        this.levels = defaultFilter.split("/", -1);
        this.gatewayLevel = gatewayLevel;
    }

    /** The name in configuration, e.g. {@code ttn-v3}. */
    public String id() {
        return id;
    }

    public String defaultFilter() {
        return defaultFilter;
    }

    /** The gateway a topic of this layout names; empty if the topic does not have this layout. */
    public Optional<String> gatewayOf(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        String[] parts = topic.split("/", -1);
        if (parts.length != levels.length) {
            return Optional.empty();
        }
        for (int i = 0; i < parts.length; i++) {
            boolean wildcard = "+".equals(levels[i]);
            if (wildcard ? parts[i].isBlank() : !levels[i].equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parts[gatewayLevel]);
    }

    public static SourceType byId(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown source type " + id + "; one of "
                        + Arrays.stream(values()).map(SourceType::id).collect(Collectors.joining(", "))));
    }
}
