package org.soilobs.ingest.decode;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.soilobs.model.Quantity;

/**
 * Per device model, how the fields of a network server's decoded payload map to quantities and units.
 * A {@link org.soilobs.model.Sensor#model()} names the model, compared ignoring case, spaces and
 * punctuation ({@code Dragino LSE01} = {@code dragino-lse01}).
 *
 * <p>Fields not listed (battery, flags, the external DS18B20 probe, raw counts) are not soil quantities
 * of the probe and are ignored.
 */
public final class DeviceModels {

    public static final String DRAGINO_LSE01 = "dragino-lse01";
    public static final String MILESIGHT_EM500_SMTC = "milesight-em500-smtc";

    /** A decoded field: its quantity and the UCUM unit the device's decoder reports it in. */
    public record Field(Quantity quantity, String unit) {
    }

    // Dragino LSE01: the TTN device repository codecs (lse01.js, lse01-114.js, lse01-121.js) and Dragino's own
    // decoder all name the soil fields water_SOIL (% by volume), temp_SOIL (°C) and conduct_SOIL (µS/cm); they
    // differ in the rest (Bat/BatV, TempC_DS18B20/temp_DS18B20, flags), which is ignored. lse01.js appends the
    // unit to the value ("19.57 %"), the others give a number or a bare numeric string.
    private static final Map<String, Field> LSE01 = Map.of(
            "water_SOIL", new Field(Quantity.VWC, "%"),
            "temp_SOIL", new Field(Quantity.SOIL_TEMPERATURE, "Cel"),
            "conduct_SOIL", new Field(Quantity.EC, "uS/cm"));

    // Milesight EM500-SMTC (Milesight-IoT/SensorDecoders): moisture in % (the vendor writes %RH; it is
    // volumetric water content), temperature in °C, ec in µS/cm.
    private static final Map<String, Field> EM500_SMTC = Map.of(
            "moisture", new Field(Quantity.VWC, "%"),
            "temperature", new Field(Quantity.SOIL_TEMPERATURE, "Cel"),
            "ec", new Field(Quantity.EC, "uS/cm"));

    private static final Map<String, Map<String, Field>> MODELS = Map.of(
            normalise(DRAGINO_LSE01), LSE01,
            "lse01", LSE01,
            normalise(MILESIGHT_EM500_SMTC), EM500_SMTC,
            "em500smtc", EM500_SMTC);

    private DeviceModels() {
    }

    /** The field table of {@code model}, empty for a model without one. */
    public static Optional<Map<String, Field>> fields(String model) {
        return Optional.ofNullable(model == null ? null : MODELS.get(normalise(model)));
    }

    /** The models with a table, for error details. */
    static String known() {
        return DRAGINO_LSE01 + ", " + MILESIGHT_EM500_SMTC;
    }

    private static String normalise(String model) {
        return model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
