package org.soilobs.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The offered rates of an open-loop step ramp, in readings per second: either given one by one, or
 * {@code steps} rates from {@code from} to {@code to} in equal ratios (a geometric ramp finds the knee
 * of a pipeline in fewer steps than a linear one), rounded to two significant digits so that the table
 * reads well.
 */
public record RampSchedule(List<Integer> rates) {

    public RampSchedule {
        rates = List.copyOf(rates);
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("a ramp has at least one step");
        }
        for (int i = 0; i < rates.size(); i++) {
            if (rates.get(i) < 1) {
                throw new IllegalArgumentException("rates must be positive, was " + rates.get(i));
            }
            if (i > 0 && rates.get(i) <= rates.get(i - 1)) {
                throw new IllegalArgumentException("rates must rise from step to step, was " + rates);
            }
        }
    }

    /** {@code steps} rates from {@code from} to {@code to} (both included) in equal ratios. */
    public static RampSchedule geometric(int from, int to, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, was " + steps);
        }
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("the ramp must go from a positive rate up to a rate at least as high, was "
                    + from + " → " + to);
        }
        if (steps == 1) {
            return new RampSchedule(List.of(from));
        }
        List<Integer> rates = new ArrayList<>();
        double ratio = Math.pow((double) to / from, 1.0 / (steps - 1));
        for (int i = 0; i < steps; i++) {
            int rate = i == 0 ? from : i == steps - 1 ? to : twoSignificantDigits(from * Math.pow(ratio, i));
            if (!rates.isEmpty() && rate <= rates.get(rates.size() - 1)) {
                rate = rates.get(rates.size() - 1) + 1;
            }
            rates.add(rate);
        }
        if (rates.get(rates.size() - 1) > to) {
            throw new IllegalArgumentException("cannot fit " + steps + " distinct steps between " + from + " and " + to);
        }
        return new RampSchedule(rates);
    }

    static int twoSignificantDigits(double value) {
        double scale = Math.pow(10, Math.floor(Math.log10(value)) - 1);
        return (int) (Math.round(value / scale) * scale);
    }
}
