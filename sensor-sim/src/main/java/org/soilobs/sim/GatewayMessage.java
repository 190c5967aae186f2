package org.soilobs.sim;

/**
 * One MQTT message a gateway publishes: what {@link MqttGatewayPublisher} sends, whatever the payload
 * format (the canonical batch now; SenML or network-server uplinks can implement it too).
 */
public interface GatewayMessage {

    /** The observatory's uplink topic of a gateway (DESIGN §3). */
    static String uplinkTopic(String gateway) {
        return "soil/v1/" + gateway + "/up";
    }

    String gateway();

    /** The gateway's sequence number of this message, increasing per gateway. */
    long seq();

    String topic();

    byte[] payload();

    /** How many readings the payload carries, valid or not. */
    int readingCount();
}
