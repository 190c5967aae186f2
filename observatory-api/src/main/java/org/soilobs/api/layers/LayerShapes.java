package org.soilobs.api.layers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.soilobs.model.Level;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;

/**
 * The areas of each reference level with their display geometry, taken once from the reference data
 * (immutable while the process runs), and a fingerprint of each level's shapes so that a new release of
 * the boundaries changes every entity tag.
 */
final class LayerShapes {

    /** Bumped whenever the layout of a layer body changes, so that old tags stop matching. */
    static final String BODY_FORMAT = "f1";

    record Shape(String code, String name, String geometry) {
    }

    private final Map<Level, List<Shape>> shapes = new EnumMap<>(Level.class);
    private final Map<Level, List<String>> codes = new EnumMap<>(Level.class);
    private final Map<Level, String> fingerprints = new EnumMap<>(Level.class);

    LayerShapes(ReferenceData reference) {
        for (Level level : Level.values()) {
            if (level == Level.FIELD) {
                fingerprints.put(level, BODY_FORMAT);
                continue;
            }
            List<Shape> list = new ArrayList<>();
            CRC32 crc = new CRC32();
            List<Area> areas = new ArrayList<>(reference.areas(level));
            areas.sort(Comparator.comparing(Area::code));
            for (Area area : areas) {
                String geometry = reference.displayGeoJson(level, area.code());
                list.add(new Shape(area.code(), area.name(), geometry));
                crc.update(area.code().getBytes(StandardCharsets.UTF_8));
                crc.update(0);
                crc.update(area.name().getBytes(StandardCharsets.UTF_8));
                crc.update(0);
                if (geometry != null) {
                    crc.update(geometry.getBytes(StandardCharsets.UTF_8));
                }
                crc.update(0);
            }
            shapes.put(level, List.copyOf(list));
            codes.put(level, list.stream().map(Shape::code).toList());
            fingerprints.put(level, BODY_FORMAT + "-" + String.format("%08x", crc.getValue()));
        }
    }

    /** The areas of a reference level in code order; empty for {@link Level#FIELD}. */
    List<Shape> shapes(Level level) {
        return shapes.getOrDefault(level, List.of());
    }

    List<String> codes(Level level) {
        return codes.getOrDefault(level, List.of());
    }

    String fingerprint(Level level) {
        return fingerprints.get(level);
    }
}
