package org.soilobs.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.soilobs.ingest.registry.SensorRegistry;

/**
 * The Things Stack v3 uplink message (topic {@code v3/{application id}@{tenant id}/devices/{device id}/up}):
 * DevEUI {@code end_device_ids.dev_eui}, decoded payload {@code uplink_message.decoded_payload}, time
 * {@code uplink_message.received_at} (else {@code received_at}), frame counter
 * {@code uplink_message.f_cnt}. The mapping is {@link LorawanUplinks}'.
 */
public final class TtnUplinkDecoder implements PayloadDecoder {

    public static final String FORMAT = "ttn-v3";

    private final LorawanUplinks uplinks;

    public TtnUplinkDecoder(SensorRegistry registry, Duration futureTolerance) {
        this.uplinks = new LorawanUplinks(registry, futureTolerance);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(JsonNode root) {
        return root.isObject() && root.has("end_device_ids");
    }

    @Override
    public DecodeResult decode(IncomingMessage message, JsonNode root) {
        JsonNode uplink = root.path("uplink_message");
        JsonNode time = uplink.path("received_at").isMissingNode() ? root.path("received_at")
                : uplink.path("received_at");
        return uplinks.decode(message, root.path("end_device_ids").path("dev_eui"), "end_device_ids.dev_eui",
                uplink.path("decoded_payload"), "uplink_message.decoded_payload", time, uplink.path("f_cnt"));
    }
}
