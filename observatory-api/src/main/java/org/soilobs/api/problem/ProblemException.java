package org.soilobs.api.problem;

import java.util.Objects;

/**
 * A user's mistake, thrown by a handler and answered with a problem body. It is an expected outcome,
 * not a failure: it carries no stack trace and is never logged as an error.
 */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    private final String parameter;

    public ProblemException(ProblemType type, String detail, String parameter) {
        super(detail, null, false, false);
        this.type = Objects.requireNonNull(type, "type");
        this.parameter = parameter;
    }

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public ProblemType type() {
        return type;
    }

    /** The parameter at fault, or null. */
    public String parameter() {
        return parameter;
    }

    public String detail() {
        return getMessage();
    }
}
