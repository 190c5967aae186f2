package org.soilobs.api.security;

import io.javalin.http.Context;
import io.javalin.http.Header;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.soilobs.api.problem.Problem;
import org.soilobs.api.problem.ProblemResponses;
import org.soilobs.api.problem.ProblemType;

/**
 * Runs before every route: reads the bearer token, if any, and holds anonymous clients to the rate
 * limit per address. A known token (read or admin) is not limited; an unknown one is refused with 401
 * rather than treated as anonymous, so that a client with a revoked or mistyped token learns it at once.
 *
 * <p>{@code /health} and {@code /metrics} are never limited: monitoring must see an overloaded server.
 * The client address is the peer's: {@code X-Forwarded-For} is not trusted, since anyone can write it.
 */
public final class ClientGate implements AutoCloseable {

    /** The request attribute holding the caller's {@link Role}; absent for anonymous callers. */
    public static final String ROLE = "soilobs.role";
    static final String REALM = "soil-observatory";
    private static final long FORGET_IDLE_SECONDS = 60;

    private final BearerTokens tokens;
    private final RateLimiter limiter;
    private final ScheduledExecutorService janitor;

    /** {@code limiter} null: no rate limit. */
    public ClientGate(BearerTokens tokens, RateLimiter limiter) {
        this.tokens = tokens;
        this.limiter = limiter;
        if (limiter == null) {
            janitor = null;
        } else {
            janitor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "observatory-api-rate-limit");
                thread.setDaemon(true);
                return thread;
            });
            janitor.scheduleWithFixedDelay(limiter::forgetIdle, FORGET_IDLE_SECONDS, FORGET_IDLE_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    public void before(Context ctx) {
        String authorization = ctx.header(Header.AUTHORIZATION);
        if (authorization != null) {
            BearerTokens.Verdict verdict = tokens.verify(authorization);
            if (verdict instanceof BearerTokens.Known known) {
                ctx.attribute(ROLE, known.role());
                return;
            }
            if (verdict instanceof BearerTokens.Invalid) {
                challenge(ctx, "invalid_token",
                        "The bearer token is not valid here; send a configured token, or none for public reads.");
                ctx.skipRemainingHandlers();
                return;
            }
        }
        if (limiter == null || exempt(ctx.path())) {
            return;
        }
        long wait = limiter.acquire(ctx.ip());
        if (wait > 0) {
            long seconds = RateLimiter.retryAfterSeconds(wait);
            ctx.header(Header.RETRY_AFTER, Long.toString(seconds));
            ProblemResponses.write(ctx, Problem.of(ProblemType.RATE_LIMITED,
                    "This address sends more requests than the limit allows; retry in " + seconds
                            + " s, or ask for a read token.",
                    ProblemResponses.instance(ctx), null));
            ctx.skipRemainingHandlers();
        }
    }

    /**
     * Lets the request through only with an admin token: otherwise answers 401 (no token, with a
     * {@code WWW-Authenticate} challenge) or 403 (a read token) and returns false.
     */
    public static boolean requireAdmin(Context ctx) {
        Role role = ctx.attribute(ROLE);
        if (role == Role.ADMIN) {
            return true;
        }
        if (role == null) {
            challenge(ctx, null,
                    "This route changes the registry: send an admin token as 'Authorization: Bearer <token>'.");
        } else {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\"");
            ProblemResponses.write(ctx, Problem.of(ProblemType.FORBIDDEN,
                    "This token may read but not change the registry; an admin token is needed.",
                    ProblemResponses.instance(ctx), null));
        }
        return false;
    }

    /** 401 with the challenge of RFC 6750 §3; {@code error} null when no token was sent. */
    private static void challenge(Context ctx, String error, String detail) {
        ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\""
                + (error == null ? "" : ", error=\"" + error + "\""));
        ProblemResponses.write(ctx, Problem.of(ProblemType.UNAUTHORIZED, detail, ProblemResponses.instance(ctx), null));
    }

    private static boolean exempt(String path) {
        return path.equals("/health") || path.equals("/metrics");
    }

    @Override
    public void close() {
        if (janitor != null) {
            janitor.shutdownNow();
        }
    }
}
