package org.soilobs.streams.check;

import java.util.Objects;
import org.soilobs.model.Rejection;

/** A record that passed a check, or the dead letter that says why it did not. Lives only inside a sub-topology. */
public final class Outcome<T> {

    private final T value;
    private final Rejection rejection;

    private Outcome(T value, Rejection rejection) {
        this.value = value;
        this.rejection = rejection;
    }

    public static <T> Outcome<T> accepted(T value) {
        return new Outcome<>(Objects.requireNonNull(value, "value"), null);
    }

    public static <T> Outcome<T> rejected(Rejection rejection) {
        return new Outcome<>(null, Objects.requireNonNull(rejection, "rejection"));
    }

    public boolean isAccepted() {
        return rejection == null;
    }

    public T value() {
        if (!isAccepted()) {
            throw new IllegalStateException("rejected: " + rejection.reason());
        }
        return value;
    }

    public Rejection rejection() {
        if (isAccepted()) {
            throw new IllegalStateException("accepted");
        }
        return rejection;
    }
}
