package org.soilobs.sim;

import java.util.Objects;
import org.soilobs.model.Field;
import org.soilobs.model.Sensor;

/** One field of the fleet: the registered field, the gateway that speaks for it, its probe and its true soil. */
public record SimulatedField(Field field, String gateway, Sensor probe, SoilState soil) {

    public SimulatedField {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(soil, "soil");
        if (!probe.field().equals(field.id()) || !probe.gateway().equals(gateway)) {
            throw new IllegalArgumentException("probe " + probe.id() + " belongs to " + probe.field() + " via "
                    + probe.gateway() + ", not to " + field.id() + " via " + gateway);
        }
    }

    public String id() {
        return field.id();
    }
}
