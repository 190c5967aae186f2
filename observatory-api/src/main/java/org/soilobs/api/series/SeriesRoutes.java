package org.soilobs.api.series;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.soilobs.api.http.Csv;
import org.soilobs.api.http.MediaTypes;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;

/** {@code GET /api/v1/series}: the buckets of one area, quantity and resolution over a time range. */
public final class SeriesRoutes {

    public static final String PATH = "/api/v1/series";

    private final ReferenceData reference;
    private final SeriesRepository repository;
    private final Clock clock;

    public SeriesRoutes(ReferenceData reference, DataSource dataSource, Clock clock) {
        this.reference = reference;
        this.repository = new SeriesRepository(dataSource);
        this.clock = clock;
    }

    public void get(Context ctx) {
        SeriesRequest request = SeriesRequest.parse(ctx.queryParamMap(), clock);
        String name = referenceName(request);
        List<SeriesPoint> points = repository.points(request);
        // A field is registered in the database, not the reference data: only an empty answer needs the
        // extra look-up that tells "no data yet" from "no such field".
        if (request.level() == Level.FIELD && points.isEmpty() && !repository.fieldExists(request.area())) {
            throw unknownArea(request);
        }
        SeriesResponse response = new SeriesResponse(request.level(), request.area(), name, request.quantity(),
                request.quantity().unit(), request.resolution(), request.from(), request.to(), points);
        ctx.header(Header.VARY, Header.ACCEPT);
        boolean csv = request.format()
                .map(format -> format == SeriesRequest.Format.CSV)
                .orElseGet(() -> MediaTypes.prefersCsv(ctx.header(Header.ACCEPT)));
        if (csv) {
            ctx.contentType(Csv.MEDIA_TYPE);
            ctx.header(Header.CONTENT_DISPOSITION, "inline; filename=\"" + fileName(request) + "\"");
            ctx.result(csv(response));
        } else {
            ctx.contentType(MediaTypes.JSON);
            ctx.result(json(response));
        }
    }

    private String referenceName(SeriesRequest request) {
        if (request.level() == Level.FIELD) {
            return request.area();
        }
        return reference.area(request.level(), request.area()).map(Area::name)
                .orElseThrow(() -> unknownArea(request));
    }

    private static ProblemException unknownArea(SeriesRequest request) {
        String hint = switch (request.level()) {
            case FIELD -> "a registered field id";
            case COUNTRY -> "an ISO 3166-1 alpha-3 code, e.g. FRA";
            case SUBREGION -> "a UN M49 sub-region code, e.g. 155";
            case REGION -> "a UN M49 region code, e.g. 150";
            case WORLD -> "001";
        };
        return new ProblemException(ProblemType.UNKNOWN_AREA,
                "There is no " + request.level().id() + " '" + request.area() + "'; use " + hint
                        + " (see /api/v1/areas).",
                "area");
    }

    static byte[] json(SeriesResponse response) {
        try {
            return Json.mapper().writeValueAsBytes(response);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String csv(SeriesResponse response) {
        Csv csv = new Csv().row(SeriesPoint.CSV_HEADER);
        response.points().forEach(point -> csv.row(point.csvRow()));
        return csv.toString();
    }

    private static String fileName(SeriesRequest request) {
        return ("series-" + request.level().id() + "-" + request.area() + "-" + request.quantity().id() + "-"
                + request.resolution().id() + ".csv").replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
