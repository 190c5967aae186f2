package org.soilobs.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.soilobs.ingest.registry.SensorRegistry;

/**
 * ChirpStack v4 {@code up} event (topic {@code application/{id}/device/{devEui}/event/up}): DevEUI
 * {@code deviceInfo.devEui}, decoded payload {@code object}, time {@code time}, frame counter
 * {@code fCnt}. The mapping is {@link LorawanUplinks}'.
 */
public final class ChirpstackUplinkDecoder implements PayloadDecoder {

    public static final String FORMAT = "chirpstack-v4";

    private final LorawanUplinks uplinks;

    public ChirpstackUplinkDecoder(SensorRegistry registry, Duration futureTolerance) {
        this.uplinks = new LorawanUplinks(registry, futureTolerance);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(JsonNode root) {
        return root.isObject() && root.has("deviceInfo");
    }

    @Override
    public DecodeResult decode(IncomingMessage message, JsonNode root) {
        return uplinks.decode(message, root.path("deviceInfo").path("devEui"), "deviceInfo.devEui",
                root.path("object"), "object", root.path("time"), root.path("fCnt"));
    }
}
