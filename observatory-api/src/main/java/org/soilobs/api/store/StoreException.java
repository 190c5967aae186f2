package org.soilobs.api.store;

/** The database could not answer; the request fails with 500 and the cause is logged. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
