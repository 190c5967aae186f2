package org.soilobs.api.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;

/**
 * The query parameters of one request, checked strictly: a parameter the route does not know, or one
 * given twice, is refused rather than ignored, because a silently ignored typo ({@code form=} for
 * {@code from=}) would answer a different question than the one asked.
 *
 * <p>An empty value ({@code quantity=}) counts as absent.
 */
public final class QueryParams {

    /** Times outside this range are refused: PostgreSQL and people both stop making sense past them. */
    static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static final int MAX_ECHO = 64;

    private final Map<String, List<String>> values;

    private QueryParams(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Checks the names against the route's {@code allowed} ones and that none is repeated. */
    public static QueryParams of(Map<String, List<String>> raw, Set<String> allowed) {
        for (Map.Entry<String, List<String>> entry : new TreeMap<>(raw).entrySet()) {
            String name = entry.getKey();
            if (!allowed.contains(name)) {
                throw new ProblemException(ProblemType.UNKNOWN_PARAMETER,
                        "Unknown query parameter '" + echo(name) + "'; this resource takes "
                                + String.join(", ", new TreeSet<>(allowed)) + ".",
                        echo(name));
            }
            if (entry.getValue().size() > 1) {
                throw new ProblemException(ProblemType.REPEATED_PARAMETER,
                        "Query parameter '" + name + "' is given " + entry.getValue().size() + " times; give it once.",
                        name);
            }
        }
        return new QueryParams(raw);
    }

    public Optional<String> optional(String name) {
        List<String> list = values.get(name);
        if (list == null || list.isEmpty() || list.get(0).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(list.get(0).trim());
    }

    public String required(String name, String example) {
        return optional(name).orElseThrow(() -> new ProblemException(ProblemType.MISSING_PARAMETER,
                "Query parameter '" + name + "' is required, e.g. " + name + "=" + example + ".", name));
    }

    public Level level(String name) {
        return parseLevel(required(name, "country"), name, ProblemType.UNKNOWN_LEVEL);
    }

    public Quantity quantity(String name) {
        return parseQuantity(required(name, "vwc"), name);
    }

    public Resolution resolution(String name, Resolution fallback) {
        return optional(name).map(raw -> parseResolution(raw, name)).orElse(fallback);
    }

    public Optional<Instant> instant(String name) {
        return optional(name).map(raw -> parseInstant(raw, name));
    }

    public static Level parseLevel(String raw, String parameter, ProblemType problem) {
        return Level.byId(raw).orElseThrow(() -> new ProblemException(problem,
                "Unknown level '" + echo(raw) + "'; use one of " + ids(Arrays.stream(Level.values()).map(Level::id)
                        .collect(Collectors.toList())) + ".",
                parameter));
    }

    public static Quantity parseQuantity(String raw, String parameter) {
        return Quantity.byId(raw).orElseThrow(() -> new ProblemException(ProblemType.UNKNOWN_QUANTITY,
                "Unknown quantity '" + echo(raw) + "'; use one of "
                        + ids(Arrays.stream(Quantity.values()).map(Quantity::id).collect(Collectors.toList())) + ".",
                parameter));
    }

    public static Resolution parseResolution(String raw, String parameter) {
        return Resolution.byId(raw).orElseThrow(() -> new ProblemException(ProblemType.UNKNOWN_RESOLUTION,
                "Unknown resolution '" + echo(raw) + "'; use one of "
                        + ids(Arrays.stream(Resolution.values()).map(Resolution::id).collect(Collectors.toList()))
                        + " (ISO 8601 durations).",
                parameter));
    }

    /**
     * An ISO 8601 time with a UTC offset ({@code 2025-06-01T12:00:00Z}, {@code …+02:00}) or a date,
     * read as UTC midnight. A local time without offset is refused: it would mean a different instant
     * on every client.
     */
    public static Instant parseInstant(String raw, String parameter) {
        Instant instant = null;
        try {
            instant = OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeException notOffsetDateTime) {
            try {
                instant = LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeException notDate) {
                String hint = raw.contains(" ")
                        ? " A '+' in a query string reads as a space: write the offset as %2B02:00 or use Z."
                        : "";
                throw new ProblemException(ProblemType.INVALID_TIME,
                        "Query parameter '" + parameter + "' must be an ISO 8601 time with offset, e.g. "
                                + "2025-06-01T00:00:00Z, or a date (UTC midnight); was '" + echo(raw) + "'." + hint,
                        parameter);
            }
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new ProblemException(ProblemType.INVALID_TIME,
                    "Query parameter '" + parameter + "' must lie between " + EARLIEST + " and " + LATEST
                            + "; was " + echo(raw) + ".",
                    parameter);
        }
        return instant;
    }

    /** A user's value, shortened for the problem body. */
    public static String echo(String raw) {
        return raw.length() <= MAX_ECHO ? raw : raw.substring(0, MAX_ECHO) + "…";
    }

    private static String ids(List<String> ids) {
        return String.join(", ", ids);
    }
}
