package org.soilobs.api.export;

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
 * A bulk export: the aggregates of one level (optionally one area) and quantity, or the readings of one
 * field (optionally one quantity), over [{@code from}, {@code to}). {@code to} defaults to now and
 * {@code from} to seven days before it.
 *
 * @param level the level of an aggregates export; {@link Level#FIELD} for a readings export
 * @param area the area (or field) the export is limited to; null for every area of the level
 * @param quantity null for every quantity (readings only)
 * @param resolution null for a readings export
 */
public record ExportRequest(Level level, String area, Quantity quantity, Resolution resolution, Instant from,
        Instant to, Format format) {

    /** What the export is written as. */
    public enum Format {
        CSV("csv", "text/csv; charset=utf-8; header=present"),
        NDJSON("ndjson", "application/x-ndjson"),
        GEOJSON("geojson", "application/geo+json");

        private final String id;
        private final String mediaType;

        Format(String id, String mediaType) {
            this.id = id;
            this.mediaType = mediaType;
        }

        public String id() {
            return id;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    static final Set<String> AGGREGATE_PARAMETERS =
            Set.of("level", "area", "quantity", "resolution", "from", "to", "format");
    static final Set<String> READING_PARAMETERS = Set.of("field", "quantity", "from", "to", "format");
    static final Duration DEFAULT_SPAN = Duration.ofDays(7);
    /** Daily buckets are 24 times fewer than hourly ones: a daily export may span ten times as long. */
    static final int DAILY_SPAN_FACTOR = 10;

    public ExportRequest {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(format, "format");
    }

    /** Whether this exports readings rather than aggregates. */
    public boolean readings() {
        return resolution == null;
    }

    static ExportRequest aggregates(Map<String, List<String>> query, Clock clock, int maxDays) {
        QueryParams params = QueryParams.of(query, AGGREGATE_PARAMETERS);
        Level level = params.level("level");
        String area = params.optional("area").map(code -> level == Level.COUNTRY ? code.toUpperCase(Locale.ROOT) : code)
                .orElse(null);
        Quantity quantity = params.quantity("quantity");
        Resolution resolution = params.resolution("resolution", Resolution.HOUR);
        int days = resolution == Resolution.DAY ? maxDays * DAILY_SPAN_FACTOR : maxDays;
        Instant[] range = range(params, clock, days, resolution.id() + " aggregates");
        Format format = format(params, Set.of(Format.values()));
        return new ExportRequest(level, area, quantity, resolution, range[0], range[1], format);
    }

    static ExportRequest readings(Map<String, List<String>> query, Clock clock, int maxDays) {
        QueryParams params = QueryParams.of(query, READING_PARAMETERS);
        String field = params.required("field", "F-FR-1");
        Quantity quantity = params.optional("quantity").map(raw -> QueryParams.parseQuantity(raw, "quantity"))
                .orElse(null);
        Instant[] range = range(params, clock, maxDays, "readings");
        Format format = format(params, Set.of(Format.CSV, Format.NDJSON));
        return new ExportRequest(Level.FIELD, field, quantity, null, range[0], range[1], format);
    }

    private static Instant[] range(QueryParams params, Clock clock, int maxDays, String what) {
        Optional<Instant> givenFrom = params.instant("from");
        Optional<Instant> givenTo = params.instant("to");
        Instant to = givenTo.orElseGet(clock::instant);
        Instant from = givenFrom.orElseGet(() -> to.minus(DEFAULT_SPAN));
        if (from.isAfter(to)) {
            throw new ProblemException(ProblemType.INVALID_TIME_RANGE,
                    "'from' (" + from + ") is after 'to' (" + to + ")"
                            + (givenTo.isEmpty() ? ", which defaults to now" : "") + ".",
                    "from");
        }
        Duration max = Duration.ofDays(maxDays);
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw new ProblemException(ProblemType.SPAN_TOO_LARGE,
                    "An export of " + what + " spans at most " + maxDays + " days; from " + from + " to " + to
                            + " is " + Duration.between(from, to).toDays() + " days. Export several shorter ranges.",
                    givenFrom.isPresent() ? "from" : "to");
        }
        return new Instant[] {from, to};
    }

    private static Format format(QueryParams params, Set<Format> allowed) {
        Optional<String> raw = params.optional("format");
        if (raw.isEmpty()) {
            return Format.CSV;
        }
        for (Format format : allowed) {
            if (format.id().equalsIgnoreCase(raw.get())) {
                return format;
            }
        }
        throw new ProblemException(ProblemType.UNKNOWN_FORMAT, "Unknown format '" + QueryParams.echo(raw.get())
                + "'; use one of " + String.join(", ", allowed.stream().map(Format::id).sorted().toList()) + ".",
                "format");
    }
}
