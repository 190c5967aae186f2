package org.soilobs.ingest.bridge;

import java.util.Optional;

/** The observatory's uplink topic {@code soil/v1/{gateway}/up}; the gateway id is also the publisher's username. */
public final class GatewayTopic {

    /** The filter every ingest instance shares. */
    public static final String FILTER = "soil/v1/+/up";

    private static final String PREFIX = "soil/v1/";
    private static final String SUFFIX = "/up";

    private GatewayTopic() {
    }

    /** The gateway id named by {@code topic}, empty if the topic is not an uplink topic. */
    public static Optional<String> gatewayOf(String topic) {
        if (topic == null || !topic.startsWith(PREFIX) || !topic.endsWith(SUFFIX)
                || topic.length() <= PREFIX.length() + SUFFIX.length()) {
            return Optional.empty();
        }
        String gateway = topic.substring(PREFIX.length(), topic.length() - SUFFIX.length());
        return gateway.contains("/") || gateway.isBlank() ? Optional.empty() : Optional.of(gateway);
    }

    public static String of(String gateway) {
        return PREFIX + gateway + SUFFIX;
    }
}
