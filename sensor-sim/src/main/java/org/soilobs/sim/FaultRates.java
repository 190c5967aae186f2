package org.soilobs.sim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How often each fault is injected, each a fraction 0..1 of what it applies to (see docs/simulator.md):
 * readings for {@code spike}, {@code jump} (readings at a level change), {@code stuck} (readings that
 * repeat an earlier value); gateway rounds for {@code dropout}; messages for the others ({@code skew}
 * only on formats that carry the device's own clock: canonical and SenML).
 */
public record FaultRates(double spike, double jump, double stuck, double dropout, double skew, double duplicate,
        double outOfOrder, double late, double malformed, double unknownDevice) {

    public static final FaultRates NONE = new FaultRates(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public FaultRates {
        double[] all = {spike, jump, stuck, dropout, skew, duplicate, outOfOrder, late, malformed, unknownDevice};
        for (double rate : all) {
            if (!(rate >= 0 && rate <= 0.5)) {
                throw new IllegalArgumentException("fault rates must be in 0..0.5, was " + rate);
            }
        }
        if (outOfOrder + late > 0.5) {
            throw new IllegalArgumentException("out-of-order and late together must stay at most 0.5");
        }
    }

    /**
     * Parses {@code spike:0.01,stuck:0.005,…}; names not given are 0.
     *
     * @throws IllegalArgumentException naming an unknown fault or a malformed rate
     */
    public static FaultRates parse(String text) {
        Map<String, Double> rates = new LinkedHashMap<>();
        if (text != null && !text.isBlank() && !text.trim().equals("none")) {
            for (String part : text.split(",")) {
                String[] pair = part.trim().split(":");
                if (pair.length != 2 || !NAMES.containsKey(pair[0].trim())) {
                    throw new IllegalArgumentException("OBS_SIM_FAULTS: expected name:rate with a name of "
                            + NAMES.keySet() + ", was '" + part.trim() + "'");
                }
                try {
                    rates.put(pair[0].trim(), Double.parseDouble(pair[1].trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("OBS_SIM_FAULTS: " + pair[0] + " rate is not a number", e);
                }
            }
        }
        double[] v = new double[NAMES.size()];
        NAMES.forEach((name, index) -> v[index] = rates.getOrDefault(name, 0.0));
        return new FaultRates(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    private static final Map<String, Integer> NAMES = names();

    private static Map<String, Integer> names() {
        Map<String, Integer> names = new LinkedHashMap<>();
        for (String name : new String[] {Fault.SPIKE, Fault.JUMP, Fault.STUCK, Fault.DROPOUT, Fault.SKEW,
                Fault.DUPLICATE, Fault.OUT_OF_ORDER, Fault.LATE, Fault.MALFORMED, Fault.UNKNOWN_DEVICE}) {
            names.put(name, names.size());
        }
        return names;
    }

    /** The rate of a fault by its name in {@link Fault}. */
    public double of(String fault) {
        return switch (fault) {
            case Fault.SPIKE -> spike;
            case Fault.JUMP -> jump;
            case Fault.STUCK -> stuck;
            case Fault.DROPOUT -> dropout;
            case Fault.SKEW -> skew;
            case Fault.DUPLICATE -> duplicate;
            case Fault.OUT_OF_ORDER -> outOfOrder;
            case Fault.LATE -> late;
            case Fault.MALFORMED -> malformed;
            case Fault.UNKNOWN_DEVICE -> unknownDevice;
            default -> throw new IllegalArgumentException("unknown fault " + fault);
        };
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        NAMES.keySet().forEach(name -> {
            if (of(name) > 0) {
                text.append(text.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%s:%s", name, of(name)));
            }
        });
        return text.isEmpty() ? "none" : text.toString();
    }

    /** Fault names and the ground-truth codes they lead to. */
    public static final class Fault {
        public static final String SPIKE = "spike";
        public static final String JUMP = "jump";
        public static final String STUCK = "stuck";
        public static final String DROPOUT = "dropout";
        public static final String SKEW = "skew";
        public static final String DUPLICATE = "duplicate";
        public static final String OUT_OF_ORDER = "out_of_order";
        public static final String LATE = "late";
        public static final String MALFORMED = "malformed";
        public static final String UNKNOWN_DEVICE = "unknown_device";

        private Fault() {
        }
    }
}
