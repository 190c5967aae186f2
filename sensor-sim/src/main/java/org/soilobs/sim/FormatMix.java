package org.soilobs.sim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which share of the gateways speaks which {@link WireFormat}, e.g. {@code canonical:70,senml:10,
 * ttn:10,chirpstack:10}. Each gateway's format is drawn once from (seed, gateway), so it never changes.
 */
public record FormatMix(Map<WireFormat, Double> weights) {

    public static final FormatMix CANONICAL_ONLY = new FormatMix(Map.of(WireFormat.CANONICAL, 1.0));
    private static final long FORMAT = 0xF0A7L;

    public FormatMix {
        Map<WireFormat, Double> copy = new EnumMap<>(WireFormat.class);
        weights.forEach((format, weight) -> {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("format weights must be non-negative, " + format.id() + " was " + weight);
            }
            if (weight > 0) {
                copy.put(format, weight);
            }
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one format needs a positive weight");
        }
        weights = Map.copyOf(copy);
    }

    /**
     * @throws IllegalArgumentException for an unknown format or a malformed weight
     */
    public static FormatMix parse(String text) {
        if (text == null || text.isBlank()) {
            return CANONICAL_ONLY;
        }
        Map<WireFormat, Double> weights = new EnumMap<>(WireFormat.class);
        for (String part : text.split(",")) {
            String[] pair = part.trim().split(":");
            WireFormat format = WireFormat.byId(pair[0].trim()).orElseThrow(() -> new IllegalArgumentException(
                    "OBS_SIM_FORMATS: unknown format '" + pair[0].trim() + "' (canonical, senml, ttn, chirpstack)"));
            try {
                weights.put(format, pair.length == 1 ? 1.0 : Double.parseDouble(pair[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("OBS_SIM_FORMATS: weight of " + format.id() + " is not a number", e);
            }
        }
        return new FormatMix(weights);
    }

    /** The format of a gateway, a pure function of seed and gateway id. */
    public WireFormat formatOf(long seed, String gateway) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double draw = Noise.uniform(Noise.key(seed, Noise.hash(gateway), FORMAT)) * total;
        List<WireFormat> formats = new ArrayList<>(weights.keySet());
        formats.sort(null);
        for (WireFormat format : formats) {
            draw -= weights.get(format);
            if (draw < 0) {
                return format;
            }
        }
        return formats.get(formats.size() - 1);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (WireFormat format : WireFormat.values()) {
            if (weights.containsKey(format)) {
                text.append(text.isEmpty() ? "" : ",").append(format.id()).append(':').append(weights.get(format));
            }
        }
        return text.toString();
    }
}
