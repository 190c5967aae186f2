package org.soilobs.api.areas;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.soilobs.model.Level;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;

/**
 * The reference areas as a tree: world → regions → sub-regions → countries, each level sorted by name.
 * An area whose parent the reference data does not hold hangs directly under the world, so that no area
 * is ever left out.
 */
final class AreaHierarchy {

    private record Node(Area area, List<Node> children) {
    }

    private final Node root;

    AreaHierarchy(ReferenceData reference) {
        Map<Level, Map<String, Node>> byLevel = new EnumMap<>(Level.class);
        for (Level level : List.of(Level.WORLD, Level.REGION, Level.SUBREGION, Level.COUNTRY)) {
            Map<String, Node> nodes = new HashMap<>();
            for (Area area : reference.areas(level)) {
                nodes.put(area.code(), new Node(area, new ArrayList<>()));
            }
            byLevel.put(level, nodes);
        }
        Node world = byLevel.get(Level.WORLD).get(Level.WORLD_CODE);
        root = world != null ? world
                : new Node(new Area(Level.WORLD, Level.WORLD_CODE, "World", null), new ArrayList<>());
        for (Level level : List.of(Level.REGION, Level.SUBREGION, Level.COUNTRY)) {
            Level parentLevel = level.parent().orElseThrow();
            for (Node node : byLevel.get(level).values()) {
                Node parent = byLevel.get(parentLevel).get(node.area().parentCode());
                (parent != null ? parent : root).children().add(node);
            }
        }
        sort(root);
    }

    /** The tree, each area with the number of registered fields inside it. */
    AreaNode tree(Map<String, Long> fieldsByCountry) {
        return render(root, fieldsByCountry);
    }

    private static AreaNode render(Node node, Map<String, Long> fieldsByCountry) {
        Area area = node.area();
        if (area.level() == Level.COUNTRY) {
            return new AreaNode(area.level(), area.code(), area.name(), fieldsByCountry.getOrDefault(area.code(), 0L),
                    null);
        }
        List<AreaNode> children = node.children().stream().map(child -> render(child, fieldsByCountry)).toList();
        long fields = children.stream().mapToLong(AreaNode::fields).sum();
        return new AreaNode(area.level(), area.code(), area.name(), fields, children);
    }

    private static void sort(Node node) {
        node.children().sort(Comparator.comparing((Node child) -> child.area().name()).thenComparing(
                child -> child.area().code()));
        node.children().forEach(AreaHierarchy::sort);
    }
}
