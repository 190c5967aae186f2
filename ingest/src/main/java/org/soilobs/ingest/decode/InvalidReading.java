package org.soilobs.ingest.decode;

/** One reading failed a check: the reason code and a detail for the dead letter. Control flow, no stack. */
final class InvalidReading extends Exception {

    private static final long serialVersionUID = 1L;

    final transient RejectReason reason;

    InvalidReading(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }
}
