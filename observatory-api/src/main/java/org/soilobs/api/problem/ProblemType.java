package org.soilobs.api.problem;

/**
 * The kinds of problem the API reports (RFC 9457). Each has a stable {@code type} URI, relative to the
 * API's base, so that clients can branch on it without parsing the human-readable detail.
 */
public enum ProblemType {
    MISSING_PARAMETER("missing-parameter", 400, "Missing query parameter"),
    UNKNOWN_PARAMETER("unknown-parameter", 400, "Unknown query parameter"),
    REPEATED_PARAMETER("repeated-parameter", 400, "Repeated query parameter"),
    UNKNOWN_LEVEL("unknown-level", 400, "Unknown level"),
    UNKNOWN_QUANTITY("unknown-quantity", 400, "Unknown quantity"),
    UNKNOWN_RESOLUTION("unknown-resolution", 400, "Unknown resolution"),
    UNKNOWN_FORMAT("unknown-format", 400, "Unknown format"),
    INVALID_TIME("invalid-time", 400, "Invalid time"),
    INVALID_TIME_RANGE("invalid-time-range", 400, "Invalid time range"),
    SPAN_TOO_LARGE("span-too-large", 400, "Time range too large"),
    INVALID_BBOX("invalid-bbox", 400, "Invalid bounding box"),
    INVALID_LIMIT("invalid-limit", 400, "Invalid page size"),
    INVALID_OFFSET("invalid-offset", 400, "Invalid page offset"),
    INVALID_DATETIME("invalid-datetime", 400, "Invalid datetime"),
    EXPORT_TOO_LARGE("export-too-large", 400, "Export too large"),
    INVALID_BODY("invalid-body", 400, "Invalid request body"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Not allowed"),
    UNKNOWN_LAYER("unknown-layer", 404, "Unknown layer"),
    UNKNOWN_COLLECTION("unknown-collection", 404, "Unknown collection"),
    UNKNOWN_FEATURE("unknown-feature", 404, "Unknown feature"),
    UNKNOWN_AREA("unknown-area", 404, "Unknown area"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    INTERNAL_ERROR("internal-error", 500, "Internal server error"),
    DATABASE_UNAVAILABLE("database-unavailable", 503, "Database unavailable"),
    REGISTRY_UNAVAILABLE("registry-unavailable", 503, "Registry unavailable");

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    /** A URI reference, resolved against the request's URL by clients: {@code /problems/unknown-area}. */
    public String uri() {
        return "/problems/" + slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
