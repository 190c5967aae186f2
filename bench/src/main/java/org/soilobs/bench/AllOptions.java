package org.soilobs.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code ./observatory bench all}.
 *
 * @param ramp offered rates of the pipeline steps, readings/s
 * @param stepSeconds measured seconds per step (after {@code warmupSeconds} at the step's rate)
 * @param warmupSeconds seconds at each step's rate before measuring
 * @param drainSeconds at most this long between steps, waiting for the consumer groups to catch up
 * @param fields simulated fields (one gateway, one probe and five quantities each)
 * @param baselineSeconds seconds of each open-loop API baseline
 * @param baselines whether to measure the raw baselines
 */
public record AllOptions(RampSchedule ramp, int stepSeconds, int warmupSeconds, int drainSeconds, int fields,
        int baselineSeconds, boolean baselines) {

    public static final String USAGE = """
            Usage: ./observatory bench all [options]
              --steps N            steps of the ramp (default 8)
              --from RATE          first step's offered readings/s (default 2000)
              --to RATE            last step's offered readings/s (default 60000)
              --rates A,B,...      explicit offered rates instead of --steps/--from/--to
              --step-seconds S     measured seconds per step (default 25)
              --warmup-seconds S   seconds at a step's rate before measuring (default 5)
              --drain-seconds S    longest wait between steps for consumers to catch up (default 30)
              --fields N           simulated fields, 5 readings each per report (default 500)
              --baseline-seconds S seconds per API baseline (default 10)
              --no-baselines       skip the raw baselines""";

    public AllOptions {
        positive(stepSeconds, "--step-seconds");
        positive(fields, "--fields");
        positive(baselineSeconds, "--baseline-seconds");
        if (warmupSeconds < 0 || drainSeconds < 0) {
            throw new IllegalArgumentException("--warmup-seconds and --drain-seconds must not be negative");
        }
    }

    public static AllOptions parse(String... args) {
        int steps = 8;
        int from = 2_000;
        int to = 60_000;
        List<Integer> rates = null;
        int stepSeconds = 25;
        int warmup = 5;
        int drain = 30;
        int fields = 500;
        int baselineSeconds = 10;
        boolean baselines = true;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-baselines")) {
                baselines = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value" : "unknown option " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--steps" -> steps = number(option, value);
                case "--from" -> from = number(option, value);
                case "--to" -> to = number(option, value);
                case "--rates" -> {
                    rates = new ArrayList<>();
                    for (String rate : value.split(",")) {
                        rates.add(number(option, rate.trim()));
                    }
                }
                case "--step-seconds" -> stepSeconds = number(option, value);
                case "--warmup-seconds" -> warmup = number(option, value);
                case "--drain-seconds" -> drain = number(option, value);
                case "--fields" -> fields = number(option, value);
                case "--baseline-seconds" -> baselineSeconds = number(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        RampSchedule ramp = rates != null ? new RampSchedule(rates) : RampSchedule.geometric(from, to, steps);
        return new AllOptions(ramp, stepSeconds, warmup, drain, fields, baselineSeconds, baselines);
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, was '" + value + "'", e);
        }
    }

    private static void positive(int value, String option) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, was " + value);
        }
    }
}
