package org.soilobs.api.ogc;

import java.time.Instant;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;

/**
 * The {@code datetime} of an OGC API – Features items request: an instant, or a closed interval
 * {@code start/end} whose ends may be open ({@code ..} or empty). Times take an offset, or are dates
 * (UTC midnight), as everywhere in this API.
 *
 * @param start the first instant included, or null for no lower bound
 * @param end the last instant included, or null for no upper bound
 */
record TimeInterval(Instant start, Instant end) {

    static final TimeInterval ALWAYS = new TimeInterval(null, null);

    static TimeInterval parse(String raw) {
        int slash = raw.indexOf('/');
        if (slash < 0) {
            Instant instant = instant(raw);
            if (instant == null) {
                throw new ProblemException(ProblemType.INVALID_DATETIME,
                        "Query parameter 'datetime' must be an instant or an interval start/end; was '..'.",
                        "datetime");
            }
            return new TimeInterval(instant, instant);
        }
        if (raw.indexOf('/', slash + 1) >= 0) {
            throw new ProblemException(ProblemType.INVALID_DATETIME,
                    "Query parameter 'datetime' holds one interval start/end; was '" + QueryParams.echo(raw) + "'.",
                    "datetime");
        }
        TimeInterval interval = new TimeInterval(instant(raw.substring(0, slash)), instant(raw.substring(slash + 1)));
        if (interval.start != null && interval.end != null && interval.start.isAfter(interval.end)) {
            throw new ProblemException(ProblemType.INVALID_DATETIME,
                    "Query parameter 'datetime' starts after it ends: '" + QueryParams.echo(raw) + "'.", "datetime");
        }
        return interval;
    }

    boolean contains(Instant instant) {
        return (start == null || !instant.isBefore(start)) && (end == null || !instant.isAfter(end));
    }

    private static Instant instant(String raw) {
        String trimmed = raw.trim();
        if (trimmed.isEmpty() || trimmed.equals("..")) {
            return null;
        }
        try {
            return QueryParams.parseInstant(trimmed, "datetime");
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.INVALID_DATETIME, e.detail(), "datetime");
        }
    }
}
