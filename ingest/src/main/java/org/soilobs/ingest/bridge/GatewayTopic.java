package org.soilobs.ingest.bridge;

/** The observatory's uplink topic {@code soil/v1/{gateway}/up}; the gateway id is also the publisher's username. */
public final class GatewayTopic {

    /** The filter every ingest instance shares. */
    public static final String FILTER = "soil/v1/+/up";

    private static final String PREFIX = "soil/v1/";
    private static final String SUFFIX = "/up";

    private GatewayTopic() {
    }

    /** The topic gateway {@code gateway} publishes to; {@link SourceType#OBSERVATORY} reads it back. */
    public static String of(String gateway) {
        return PREFIX + gateway + SUFFIX;
    }
}
