package org.soilobs.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * An RFC 9457 problem details body.
 *
 * @param type a URI reference naming the kind of problem; {@code about:blank} when the status says it all
 * @param instance the request that met the problem: its path and query
 * @param parameter extension member: the query or path parameter at fault, when one is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String parameter) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, was " + status);
        }
        Objects.requireNonNull(detail, "detail");
    }

    public static Problem of(ProblemType type, String detail, String instance, String parameter) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, parameter);
    }
}
