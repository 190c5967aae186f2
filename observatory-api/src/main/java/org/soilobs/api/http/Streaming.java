package org.soilobs.api.http;

import io.javalin.http.Context;
import org.eclipse.jetty.server.Request;

/** What a streamed answer can still do when it fails after its status line went out. */
public final class Streaming {

    private Streaming() {
    }

    /**
     * Cuts the connection without the terminating chunk, so that the client sees a truncated body as
     * an error instead of a short file that looks complete. A problem body is no longer possible.
     */
    public static void abort(Context ctx, Throwable cause) {
        Request base = Request.getBaseRequest(ctx.req());
        if (base != null) {
            base.getHttpChannel().abort(cause);
        }
    }
}
