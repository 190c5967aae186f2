package org.soilobs.api.series;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;

/**
 * {@code GET /api/v1/series?level=…&area=…&quantity=…[&resolution=PT1H][&from=…][&to=…][&format=json|csv]}.
 *
 * <p>The series holds every bucket that overlaps [{@code from}, {@code to}). {@code to} defaults to now,
 * {@code from} to seven days before {@code to}. The span is limited per resolution so that one answer
 * stays small: at most 31 days of hourly buckets (744 points) or 3660 days of daily ones (3660 points).
 *
 * @param area the area code as the client gave it, upper-cased for countries (ISO alpha-3)
 * @param format the format asked for with {@code format=}, or empty to negotiate on {@code Accept}
 */
public record SeriesRequest(
        Level level,
        String area,
        Quantity quantity,
        Resolution resolution,
        Instant from,
        Instant to,
        Optional<Format> format) {

    public enum Format { JSON, CSV }

    public static final Set<String> PARAMETERS = Set.of("level", "area", "quantity", "resolution", "from", "to", "format");
    public static final Resolution DEFAULT_RESOLUTION = Resolution.HOUR;
    public static final Duration DEFAULT_SPAN = Duration.ofDays(7);

    public SeriesRequest {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(format, "format");
    }

    /** The longest span one request may cover at a resolution. */
    public static Duration maxSpan(Resolution resolution) {
        return switch (resolution) {
            case HOUR -> Duration.ofDays(31);
            case DAY -> Duration.ofDays(3660);
        };
    }

    public static SeriesRequest parse(Map<String, List<String>> query, Clock clock) {
        QueryParams params = QueryParams.of(query, PARAMETERS);
        Level level = params.level("level");
        String area = params.required("area", level == Level.COUNTRY ? "FRA" : "155");
        if (level == Level.COUNTRY) {
            area = area.toUpperCase(Locale.ROOT);
        }
        Quantity quantity = params.quantity("quantity");
        Resolution resolution = params.resolution("resolution", DEFAULT_RESOLUTION);
        Optional<Instant> givenFrom = params.instant("from");
        Optional<Instant> givenTo = params.instant("to");
        Instant to = givenTo.orElseGet(() -> clock.instant());
        Instant from = givenFrom.orElseGet(() -> to.minus(DEFAULT_SPAN));
        if (from.isAfter(to)) {
            throw new ProblemException(ProblemType.INVALID_TIME_RANGE,
                    "'from' (" + from + ") is after 'to' (" + to + ")"
                            + (givenTo.isEmpty() ? ", which defaults to now" : "") + ".",
                    "from");
        }
        Duration span = Duration.between(from, to);
        Duration max = maxSpan(resolution);
        if (span.compareTo(max) > 0) {
            throw new ProblemException(ProblemType.SPAN_TOO_LARGE,
                    "A " + resolution.id() + " series spans at most " + max.toDays() + " days; from " + from + " to "
                            + to + " is " + describe(span) + ". Ask for several shorter ranges"
                            + (resolution == Resolution.HOUR ? " or for resolution=P1D." : "."),
                    givenFrom.isPresent() ? "from" : "to");
        }
        Optional<Format> format = params.optional("format").map(SeriesRequest::format);
        return new SeriesRequest(level, area, quantity, resolution, from, to, format);
    }

    /** The first bucket that overlaps the range. */
    public Instant firstBucket() {
        return resolution.bucketOf(from);
    }

    private static Format format(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "json" -> Format.JSON;
            case "csv" -> Format.CSV;
            default -> throw new ProblemException(ProblemType.UNKNOWN_FORMAT,
                    "Unknown format '" + QueryParams.echo(raw) + "'; use json or csv.", "format");
        };
    }

    private static String describe(Duration span) {
        long days = span.toDays();
        return days > 0 ? days + " days" + (span.toHoursPart() > 0 ? " " + span.toHoursPart() + " hours" : "")
                : span.toString();
    }
}
