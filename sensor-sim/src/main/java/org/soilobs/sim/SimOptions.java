package org.soilobs.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The simulator command line's configuration: {@link SimConfig} (broker, seed, fleet, rate) plus how
 * to run. Every {@code --option} has an {@code OBS_SIM_*} variable; the option wins.
 *
 * @param mode live, backfill or replay
 * @param connections MQTT connections the gateways are spread over
 * @param from first report time of a backfill
 * @param to end (exclusive) of a backfill
 * @param step time between two reports of one probe in a backfill
 * @param truth the ground-truth file to write (JSON lines); null for none
 * @param replay the CSV file to replay; null unless in replay mode
 * @param gatewayPassword null: the gateways share {@code connections} anonymous connections; else each
 *        gateway connects as itself (user name = gateway id) with this password, as a broker enforcing
 *        the ACL {@code pattern write soil/v1/%u/up} requires (deploy/mosquitto)
 */
public record SimOptions(SimConfig sim, Mode mode, int connections, FormatMix formats, FaultRates faults,
        Instant from, Instant to, Duration step, Path truth, Path replay, String gatewayPassword) {

    public enum Mode { LIVE, BACKFILL, REPLAY }

    /** Command-line options and the variables they set. */
    static final Map<String, String> OPTIONS = options();

    public SimOptions {
        Objects.requireNonNull(sim, "sim");
        Objects.requireNonNull(mode, "mode");
        if (connections < 1 || connections > 10_000) {
            throw new IllegalArgumentException("OBS_SIM_CONNECTIONS must be 1..10000, was " + connections);
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("OBS_SIM_FROM " + from + " must be before OBS_SIM_TO " + to);
        }
        if (step.toMillis() < 1) {
            throw new IllegalArgumentException("OBS_SIM_STEP must be at least PT0.001S, was " + step);
        }
        if (mode == Mode.REPLAY && replay == null) {
            throw new IllegalArgumentException("replay mode needs a file: --replay FILE (OBS_SIM_REPLAY)");
        }
        if (gatewayPassword != null && gatewayPassword.isEmpty()) {
            throw new IllegalArgumentException("OBS_SIM_GATEWAY_PASSWORD must not be empty when set");
        }
        // A replayed file names gateways the fleet does not know, whose accounts nobody created.
        // The Things Stack and ChirpStack uplinks come from a network server's broker, on topics no gateway
        // account may publish to (the ACL allows soil/v1/<its id>/up only).
        if (gatewayPassword != null && formats.weights().entrySet().stream().anyMatch(w -> w.getValue() > 0
                && (w.getKey() == WireFormat.TTN || w.getKey() == WireFormat.CHIRPSTACK))) {
            throw new IllegalArgumentException("per-gateway credentials (OBS_SIM_GATEWAY_PASSWORD) publish on "
                    + "soil/v1/<gateway>/up only: OBS_SIM_FORMATS may hold canonical and senml, was " + formats);
        }
        if (gatewayPassword != null && mode == Mode.REPLAY) {
            throw new IllegalArgumentException("per-gateway credentials (OBS_SIM_GATEWAY_PASSWORD) are for live and "
                    + "backfill; replay publishes over shared connections");
        }
    }

    /** Whether each gateway connects as itself, with its own credentials. */
    public boolean perGatewayConnections() {
        return gatewayPassword != null;
    }

    private static Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--mode", "OBS_SIM_MODE");
        options.put("--mqtt", "OBS_MQTT_URL");
        options.put("--seed", "OBS_SIM_SEED");
        options.put("--fields", "OBS_SIM_FIELDS");
        options.put("--rate", "OBS_SIM_RATE");
        options.put("--connections", "OBS_SIM_CONNECTIONS");
        options.put("--formats", "OBS_SIM_FORMATS");
        options.put("--faults", "OBS_SIM_FAULTS");
        options.put("--from", "OBS_SIM_FROM");
        options.put("--to", "OBS_SIM_TO");
        options.put("--step", "OBS_SIM_STEP");
        options.put("--truth", "OBS_SIM_TRUTH");
        options.put("--replay", "OBS_SIM_REPLAY");
        options.put("--client-id", "OBS_SIM_CLIENT_ID");
        options.put("--gateway-password-file", "OBS_SIM_GATEWAY_PASSWORD_FILE");
        options.put("--api", "OBS_SIM_API_URL");
        options.put("--api-wait", "OBS_SIM_API_WAIT");
        return options;
    }

    /**
     * The environment with the command line's options laid over it.
     *
     * @throws IllegalArgumentException for an unknown option or one without a value
     */
    static Map<String, String> overlay(Map<String, String> env, List<String> args) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        for (int a = 0; a < args.size(); a++) {
            String arg = args.get(a);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String variable = OPTIONS.get(name);
            if (variable == null) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (a + 1 < args.size()) {
                value = args.get(++a);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            merged.put(variable, value);
        }
        return merged;
    }

    /**
     * @throws IllegalArgumentException naming the variable that is malformed or out of range
     */
    public static SimOptions fromEnv(Map<String, String> env) {
        SimConfig sim = SimConfig.fromEnv(env);
        Mode mode = switch (env.getOrDefault("OBS_SIM_MODE", "live").strip().toLowerCase(Locale.ROOT)) {
            case "live" -> Mode.LIVE;
            case "backfill" -> Mode.BACKFILL;
            case "replay" -> Mode.REPLAY;
            default -> throw new IllegalArgumentException("OBS_SIM_MODE must be live, backfill or replay, was '"
                    + env.get("OBS_SIM_MODE") + "'");
        };
        int connections;
        try {
            connections = Integer.parseInt(env.getOrDefault("OBS_SIM_CONNECTIONS", "1").strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OBS_SIM_CONNECTIONS must be a number", e);
        }
        Instant defaultTo = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = instant(env, "OBS_SIM_TO", defaultTo);
        Instant from = instant(env, "OBS_SIM_FROM", to.minus(Duration.ofDays(365)));
        Duration step;
        try {
            step = Duration.parse(env.getOrDefault("OBS_SIM_STEP", "PT15M").strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("OBS_SIM_STEP must be an ISO-8601 duration like PT15M", e);
        }
        return new SimOptions(sim, mode, connections, FormatMix.parse(env.get("OBS_SIM_FORMATS")),
                FaultRates.parse(env.get("OBS_SIM_FAULTS")), from, to, step, path(env, "OBS_SIM_TRUTH"),
                path(env, "OBS_SIM_REPLAY"), gatewayPassword(env));
    }

    /**
     * The gateways' shared password: {@code OBS_SIM_GATEWAY_PASSWORD}, or the first line of the file
     * {@code OBS_SIM_GATEWAY_PASSWORD_FILE} names (a mounted secret); null when neither is set. There is
     * no command-line option for the password itself, which would show in the process list.
     */
    static String gatewayPassword(Map<String, String> env) {
        String password = env.get("OBS_SIM_GATEWAY_PASSWORD");
        Path file = path(env, "OBS_SIM_GATEWAY_PASSWORD_FILE");
        if (password != null && !password.isEmpty() && file != null) {
            throw new IllegalArgumentException("set OBS_SIM_GATEWAY_PASSWORD or OBS_SIM_GATEWAY_PASSWORD_FILE, not both");
        }
        if (file == null) {
            return password == null || password.isEmpty() ? null : password;
        }
        try {
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                throw new IllegalArgumentException("OBS_SIM_GATEWAY_PASSWORD_FILE " + file + " is empty");
            }
            return first;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read OBS_SIM_GATEWAY_PASSWORD_FILE " + file + ": " + e, e);
        }
    }

    private static Instant instant(Map<String, String> env, String name, Instant fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return text.strip().length() == 10 ? LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a date (2024-01-01) or an instant, was '" + text + "'",
                    e);
        }
    }

    private static Path path(Map<String, String> env, String name) {
        String text = env.get(name);
        return text == null || text.isBlank() ? null : Path.of(text.strip());
    }

    /** Reports per round (and per canonical or SenML message) in live mode: rounds of about a second. */
    public static int liveReportsPerRound(Duration tick) {
        return (int) Math.max(1, Math.min(10, 1000 / Math.max(1, tick.toMillis())));
    }

    @Override
    public String toString() {
        return "SimOptions[" + sim + ", mode=" + mode.name().toLowerCase(Locale.ROOT) + ", connections="
                + (perGatewayConnections() ? "one per gateway, user name = gateway id, password ***" : connections)
                + ", formats=" + formats + ", faults=" + faults
                + (mode == Mode.BACKFILL ? ", from=" + from + ", to=" + to + ", step=" + step : "")
                + ", truth=" + truth + (replay != null ? ", replay=" + replay : "") + "]";
    }
}
