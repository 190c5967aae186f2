package org.soilobs.model;

/**
 * A registered sensor: which gateway speaks for it and which field it is installed in.
 *
 * @param model the device model, which decides how its decoded payload maps to quantities
 */
public record Sensor(String id, String gateway, String field, String model) {

    public Sensor {
        Reading.requireText(id, "id");
        Reading.requireText(gateway, "gateway");
        Reading.requireText(field, "field");
        Reading.requireText(model, "model");
    }
}
