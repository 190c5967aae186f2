package org.soilobs.api.ogc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;

/**
 * {@code GET /ogc/collections/{id}/items?limit=…&offset=…&bbox=…&datetime=…}. A {@code limit} above
 * {@link #MAX_LIMIT} is lowered to it, as OGC API – Features allows (the next link pages on); a limit
 * below 1 or an offset below 0 is refused.
 */
record ItemsQuery(int limit, long offset, Optional<Bbox> bbox, TimeInterval datetime) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Set<String> PARAMETERS = Set.of("limit", "offset", "bbox", "datetime", "f");

    static ItemsQuery parse(Map<String, List<String>> query) {
        QueryParams params = QueryParams.of(query, PARAMETERS);
        OgcRoutes.checkFormat(params);
        int limit = (int) Math.min(MAX_LIMIT, number(params.optional("limit"), "limit", DEFAULT_LIMIT, 1,
                ProblemType.INVALID_LIMIT));
        long offset = number(params.optional("offset"), "offset", 0, 0, ProblemType.INVALID_OFFSET);
        return new ItemsQuery(limit, offset, params.optional("bbox").map(Bbox::parse),
                params.optional("datetime").map(TimeInterval::parse).orElse(TimeInterval.ALWAYS));
    }

    private static long number(Optional<String> raw, String name, long fallback, long least, ProblemType problem) {
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value >= least) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the rule
        }
        throw new ProblemException(problem, "Query parameter '" + name + "' must be an integer ≥ " + least
                + (name.equals("limit") ? " (at most " + MAX_LIMIT + " are returned per page)" : "")
                + "; was '" + QueryParams.echo(raw.get()) + "'.", name);
    }

    /** The query string of the page {@code offset}, keeping the filters: for next and prev links. */
    String pageQuery(long pageOffset) {
        StringBuilder query = new StringBuilder("limit=").append(limit).append("&offset=").append(pageOffset);
        bbox.ifPresent(box -> query.append("&bbox=").append(box.query()));
        if (!datetime.equals(TimeInterval.ALWAYS)) {
            query.append("&datetime=").append(datetime.start() == null ? ".." : datetime.start().toString())
                    .append('/').append(datetime.end() == null ? ".." : datetime.end().toString());
        }
        return query.toString();
    }
}
