package org.soilobs.sim;

import org.eclipse.paho.mqttv5.common.MqttException;

/** A gateway's connection failed; says which gateway, and what the broker's refusal means for the operator. */
public final class GatewayConnectException extends MqttException {

    private static final long serialVersionUID = 1L;
    /** CONNACK reason codes (MQTT 5, §3.2.2.2). */
    static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    static final int NOT_AUTHORIZED = 0x87;

    private final String gateway;

    GatewayConnectException(String gateway, MqttException cause) {
        super(cause.getReasonCode(), cause);
        this.gateway = gateway;
    }

    public String gateway() {
        return gateway;
    }

    @Override
    public String getMessage() {
        String hint = switch (getReasonCode()) {
            case BAD_USER_NAME_OR_PASSWORD -> ": the broker refused the user name or password (check "
                    + "OBS_SIM_GATEWAY_PASSWORD against the broker's accounts, made by sensor-sim gateways --passwords)";
            case NOT_AUTHORIZED -> ": the broker does not authorise this gateway (is its account created?)";
            default -> "";
        };
        return "gateway " + gateway + " could not connect: " + getCause().getMessage() + hint;
    }
}
