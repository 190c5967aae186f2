package org.soilobs.api.admin;

/** The registry topics could not take a registration; answered 503, logged as a warning. */
public final class RegistryUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
