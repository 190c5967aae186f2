package org.soilobs.streams.carbon;

import java.util.Objects;
import org.soilobs.model.Aggregate;
import org.soilobs.model.Field;

/** A field's daily SOC or bulk-density aggregate with the field's registration at the time it arrived. */
public record FieldInput(Aggregate aggregate, Field field) {

    public FieldInput {
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(field, "field");
        if (!aggregate.key().area().equals(field.id())) {
            throw new IllegalArgumentException("aggregate of " + aggregate.key().area() + " joined to field " + field.id());
        }
    }
}
