package org.soilobs.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.soilobs.ingest.registry.SensorRegistry;
import org.soilobs.model.Quantity;
import org.soilobs.model.Sensor;

/**
 * The payload samples of {@code ../shared/samples/} (copied to {@code src/test/resources/samples/}), each
 * with the topic it arrives on and what it must become: readings in the canonical unit, or dead letters
 * with their reasons. The values are worked out by hand from the files and DESIGN §3, not by the decoders.
 */
public final class Samples {

    public static final String GATEWAY = "gw-fr-beauce-1";
    /** The Things Stack application of the LSE01 sample, as its topic names it. */
    public static final String TTN_APPLICATION = "soil-observatory@ttn";
    /** The ChirpStack application of the LSE01 sample. */
    public static final String CHIRPSTACK_APPLICATION = "17c82e96-be03-4f38-aef3-f83d48582d97";
    /** After every sample's own time, within the tolerance for the latest (SenML, 10:15). */
    public static final Instant RECEIVED = Instant.parse("2026-11-20T10:20:00Z");

    private Samples() {
    }

    /** One reading a sample must give, value in the canonical unit. */
    public record Expected(String sensor, String field, Quantity quantity, double value, Instant time, int top,
            int bottom, long seq) {
    }

    /**
     * @param gateway the gateway the topic vouches for
     * @param readings what must reach {@code soil.readings.raw}, in order
     * @param rejections the reasons of what must reach {@code soil.readings.rejected}, in order
     * @param wholeMessage whether the rejection is of the whole message (index -1)
     */
    public record Sample(String file, String topic, String gateway, List<Expected> readings, List<String> rejections,
            boolean wholeMessage) {

        public byte[] bytes() {
            try (InputStream in = Samples.class.getResourceAsStream("/samples/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("no sample " + file);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return file;
        }
    }

    public static List<Sensor> sensors() {
        return List.of(
                new Sensor("fr-0042-p1", GATEWAY, "fr-0042", "canonical"),
                // EUI-64 of the SenML probe's urn:dev:mac: base name.
                new Sensor("0024befffe804ff1", GATEWAY, "fr-0042", "senml-probe"),
                new Sensor("a84041000181a3b2", TTN_APPLICATION, "fr-0042", "dragino-lse01"),
                new Sensor("a84041000181a3b3", CHIRPSTACK_APPLICATION, "ke-0007", "Dragino LSE01"));
    }

    public static SensorRegistry registry() {
        SensorRegistry registry = new SensorRegistry();
        sensors().forEach(registry::put);
        return registry;
    }

    public static List<Sample> all() {
        Instant canonicalTime = Instant.parse("2026-11-20T09:40:00Z");
        Instant probe = Instant.parse("2026-11-20T10:00:00Z");
        Instant probeLater = Instant.parse("2026-11-20T10:15:00Z");
        Instant ttn = Instant.parse("2026-11-20T09:40:12.001Z");
        Instant chirpstack = Instant.parse("2026-11-20T09:40:11.902115Z");
        String observatoryTopic = "soil/v1/" + GATEWAY + "/up";
        return List.of(
                new Sample("canonical-batch.json", observatoryTopic, GATEWAY, List.of(
                        new Expected("fr-0042-p1", "fr-0042", Quantity.SOC, 17.4, canonicalTime, 0, 30, 48121),
                        new Expected("fr-0042-p1", "fr-0042", Quantity.VWC, 0.231, canonicalTime, 0, 10, 48121),
                        new Expected("fr-0042-p1", "fr-0042", Quantity.SOIL_TEMPERATURE, 9.6, canonicalTime, 0, 10,
                                48121),
                        new Expected("fr-0042-p1", "fr-0042", Quantity.EC, 0.41, canonicalTime, 0, 10, 48121)),
                        List.of(), false),
                // bt 1795168800 s = 2026-11-20T10:00:00Z; "/" is a ratio (= m3/m3); 0.043 S/m = 0.43 dS/m.
                new Sample("senml-soil-probe.json", observatoryTopic, GATEWAY, List.of(
                        new Expected("0024befffe804ff1", "fr-0042", Quantity.VWC, 0.274, probe, 0, 10, 0),
                        new Expected("0024befffe804ff1", "fr-0042", Quantity.SOIL_TEMPERATURE, 11.8, probe, 0, 10, 0),
                        new Expected("0024befffe804ff1", "fr-0042", Quantity.EC, 0.43, probe, 0, 10, 0),
                        new Expected("0024befffe804ff1", "fr-0042", Quantity.VWC, 0.276, probeLater, 0, 10, 0),
                        new Expected("0024befffe804ff1", "fr-0042", Quantity.SOIL_TEMPERATURE, 11.6, probeLater, 0, 10,
                                0),
                        new Expected("0024befffe804ff1", "fr-0042", Quantity.EC, 0.44, probeLater, 0, 10, 0)),
                        List.of(), false),
                // Voltage and current of an electricity meter: no soil quantity in any of its 7 records.
                new Sample("senml-rfc8428-example.json", observatoryTopic, GATEWAY, List.of(),
                        List.of("unknown_quantity", "unknown_quantity", "unknown_quantity", "unknown_quantity",
                                "unknown_quantity", "unknown_quantity", "unknown_quantity"), false),
                // water_SOIL 19.57 % = 0.1957 m3/m3; conduct_SOIL 28200 µS/cm = 28.2 dS/m: above the sensor's range
                // (20 dS/m, the plausible maximum) but possible, so passed on for QC to flag. Bat is not a soil
                // quantity; TempC_DS18B20 is the optional external probe.
                new Sample("ttn-v3-uplink-dragino-lse01.json", "v3/" + TTN_APPLICATION
                        + "/devices/lse01-field-fr-0042/up", TTN_APPLICATION, List.of(
                        new Expected("a84041000181a3b2", "fr-0042", Quantity.EC, 28.2, ttn, 0, 10, 1834),
                        new Expected("a84041000181a3b2", "fr-0042", Quantity.SOIL_TEMPERATURE, 24.59, ttn, 0, 10, 1834),
                        new Expected("a84041000181a3b2", "fr-0042", Quantity.VWC, 0.1957, ttn, 0, 10, 1834)),
                        List.of(), false),
                new Sample("ttn-v3-uplink.json", "v3/app1@ttn/devices/dev1/up", "app1@ttn", List.of(),
                        List.of("unknown_sensor"), true),
                new Sample("chirpstack-v4-up-dragino-lse01.json", "application/" + CHIRPSTACK_APPLICATION
                        + "/device/a84041000181a3b3/event/up", CHIRPSTACK_APPLICATION, List.of(
                        new Expected("a84041000181a3b3", "ke-0007", Quantity.EC, 1.18, chirpstack, 0, 10, 912),
                        new Expected("a84041000181a3b3", "ke-0007", Quantity.SOIL_TEMPERATURE, 24.59, chirpstack, 0, 10,
                                912),
                        new Expected("a84041000181a3b3", "ke-0007", Quantity.VWC, 0.1957, chirpstack, 0, 10, 912)),
                        List.of(), false),
                new Sample("chirpstack-v4-up.json", "application/" + CHIRPSTACK_APPLICATION
                        + "/device/0101010101010101/event/up", CHIRPSTACK_APPLICATION, List.of(),
                        List.of("unknown_sensor"), true));
    }
}
