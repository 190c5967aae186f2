package org.soilobs.api.areas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One area of a flat list. Fields also carry where they are and how large.
 *
 * @param parent the code of the area one level up (a field's country); null for the world
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"code", "name", "parent", "lon", "lat", "area_ha", "land_use"})
public record AreaEntry(String code, String name, String parent, Double lon, Double lat, Double areaHa,
        String landUse) {

    static AreaEntry area(String code, String name, String parent) {
        return new AreaEntry(code, name, parent, null, null, null, null);
    }
}
