package org.soilobs.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRouting;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.model.Json;

/**
 * Turns everything that goes wrong into an RFC 9457 body: a user's mistake is answered with its reason
 * and logged at most at debug level; an unexpected failure is logged once, with its stack trace and an
 * error id that the 500 body repeats, so that the body reveals nothing but still leads to the log line.
 */
public final class ProblemResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    private static final long RETRY_AFTER_SECONDS = 5;

    private ProblemResponses() {
    }

    public static void register(JavalinDefaultRouting routing) {
        routing.exception(ProblemException.class, (e, ctx) -> {
            LOG.debug("{} {} -> {} {}", ctx.method(), ctx.path(), e.type().status(), e.detail());
            write(ctx, Problem.of(e.type(), e.detail(), instance(ctx), e.parameter()));
        });
        routing.exception(HttpResponseException.class, (e, ctx) -> write(ctx, fromJavalin(e, ctx)));
        routing.exception(Exception.class, (e, ctx) -> {
            if (databaseUnavailable(e)) {
                LOG.warn("{} {}: the database is unavailable: {}", ctx.method(), ctx.path(), rootMessage(e));
                ctx.header(Header.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
                write(ctx, Problem.of(ProblemType.DATABASE_UNAVAILABLE,
                        "The database does not answer; try again in a few seconds.", instance(ctx), null));
                return;
            }
            String errorId = UUID.randomUUID().toString();
            LOG.error("{} {} failed (error id {})", ctx.method(), ctx.path(), errorId, e);
            write(ctx, Problem.of(ProblemType.INTERNAL_ERROR,
                    "The request could not be completed. The failure was logged with error id " + errorId + ".",
                    instance(ctx), null));
        });
    }

    public static void write(Context ctx, Problem problem) {
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(problem.status());
        ctx.header(Header.CACHE_CONTROL, "no-store");
        ctx.contentType(Problem.MEDIA_TYPE);
        ctx.result(body);
    }

    /** The path and query of the request, as the {@code instance} member. */
    public static String instance(Context ctx) {
        String query = ctx.queryString();
        return query == null || query.isEmpty() ? ctx.path() : ctx.path() + "?" + query;
    }

    /**
     * Whether a failure means the database cannot be reached (pool timeout, connection refused or
     * broken, server shutting down) rather than a fault of the query or the code.
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static Problem fromJavalin(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        if (status == HttpStatus.NOT_FOUND.getCode()) {
            return Problem.of(ProblemType.NOT_FOUND,
                    "Nothing is served at " + ctx.method() + " " + ctx.path() + ".", instance(ctx), null);
        }
        if (status == HttpStatus.METHOD_NOT_ALLOWED.getCode()) {
            String allowed = String.join(", ", e.getDetails().values());
            if (!allowed.isEmpty()) {
                ctx.header(Header.ALLOW, allowed);
            }
            return Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                    ctx.method() + " is not supported at " + ctx.path()
                            + (allowed.isEmpty() ? "." : "; use " + allowed + "."),
                    instance(ctx), null);
        }
        if (status >= 500) {
            LOG.error("{} {} failed with {}: {}", ctx.method(), ctx.path(), status, e.getMessage());
        }
        int code = status >= 400 && status <= 599 ? status : 500;
        HttpStatus known = HttpStatus.forStatus(code);
        String title = known == HttpStatus.UNKNOWN ? "HTTP " + code : known.getMessage();
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? title : e.getMessage();
        return new Problem("about:blank", title, code, detail, instance(ctx), null);
    }
}
