package org.soilobs.ingest.decode;

/**
 * The stable reason codes ingest writes into {@link org.soilobs.model.Rejection#reason()}. Dashboards,
 * alerts and the {@code ingest.readings.rejected} metric are keyed by them: add codes, never rename.
 */
public enum RejectReason {
    // A whole message (index -1).
    PAYLOAD_TOO_LARGE("payload_too_large"),
    MALFORMED_JSON("malformed_json"),
    UNSUPPORTED_FORMAT("unsupported_format"),
    UNSUPPORTED_SCHEMA("unsupported_schema"),
    INVALID_BATCH("invalid_batch"),
    GATEWAY_MISMATCH("gateway_mismatch"),
    UNSUPPORTED_TOPIC("unsupported_topic"),
    DECODER_FAILURE("decoder_failure"),
    /** SenML: a field ending in {@code _} that must be understood (RFC 8428 §4.4) and is not. */
    UNSUPPORTED_MANDATORY_FIELD("unsupported_mandatory_field"),
    /** LoRaWAN: the registered sensor's model has no alias table. */
    UNKNOWN_DEVICE_MODEL("unknown_device_model"),
    /** LoRaWAN: the network server sent no decoded payload (no payload formatter / codec configured). */
    MISSING_DECODED_PAYLOAD("missing_decoded_payload"),
    /** LoRaWAN: the decoded payload has none of the soil fields of the device's model. */
    NO_SOIL_FIELDS("no_soil_fields"),

    // One reading of a message (its index).
    INVALID_READING("invalid_reading"),
    UNKNOWN_QUANTITY("unknown_quantity"),
    UNKNOWN_UNIT("unknown_unit"),
    UNIT_MISMATCH("unit_mismatch"),
    INVALID_VALUE("invalid_value"),
    VALUE_OUT_OF_RANGE("value_out_of_range"),
    INVALID_TIME("invalid_time"),
    TIME_IN_FUTURE("time_in_future"),
    INVALID_DEPTH("invalid_depth"),
    UNKNOWN_SENSOR("unknown_sensor"),
    SENSOR_GATEWAY_MISMATCH("sensor_gateway_mismatch");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** The code on the wire, e.g. {@code unit_mismatch}. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
