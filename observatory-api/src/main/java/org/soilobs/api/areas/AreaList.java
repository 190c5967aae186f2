package org.soilobs.api.areas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.soilobs.model.Level;

/** The areas of one level, optionally only those under one parent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"level", "parent", "areas"})
public record AreaList(Level level, String parent, List<AreaEntry> areas) {

    public AreaList {
        areas = List.copyOf(areas);
    }
}
