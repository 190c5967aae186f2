package org.soilobs.api.areas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.soilobs.model.Level;

/**
 * One area of the hierarchy with its children.
 *
 * @param fields registered fields inside the area
 * @param children the areas one level down; absent for countries
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"level", "code", "name", "fields", "children"})
public record AreaNode(Level level, String code, String name, long fields, List<AreaNode> children) {
}
