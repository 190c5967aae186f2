package org.soilobs.streams.aggregate;

import java.util.Objects;
import org.soilobs.model.Quantity;

/** The grouping key of field statistics: one series per field and quantity. */
public record FieldQuantity(String field, Quantity quantity) {

    public FieldQuantity {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(quantity, "quantity");
    }
}
