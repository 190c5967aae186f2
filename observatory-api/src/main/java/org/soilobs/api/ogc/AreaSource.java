package org.soilobs.api.ogc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.locationtech.jts.geom.Geometry;
import org.soilobs.model.Level;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;

/**
 * The areas of one reference level (countries, sub-regions, regions) with their display geometry.
 * Held in memory: the reference data does not change while the process runs. A {@code bbox} is tested
 * against the full-resolution boundary; {@code datetime} does not filter, as the areas are timeless
 * (their collections announce no temporal extent).
 */
final class AreaSource implements FeatureSource {

    private record Entry(OgcFeature feature, Geometry boundary) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byCode = new LinkedHashMap<>();

    AreaSource(ReferenceData reference, Level level) {
        List<Area> areas = new ArrayList<>(reference.areas(level));
        areas.sort(Comparator.comparing(Area::code));
        for (Area area : areas) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("code", area.code());
            properties.put("name", area.name());
            properties.put("level", level.id());
            properties.put("parent", area.parentCode());
            Entry entry = new Entry(new OgcFeature(area.code(), reference.displayGeoJson(level, area.code()),
                    properties), reference.geometry(level, area.code()));
            entries.add(entry);
            byCode.put(area.code(), entry);
        }
    }

    @Override
    public Page items(ItemsQuery query) {
        List<OgcFeature> matched = entries.stream()
                .filter(entry -> query.bbox().map(box -> box.intersects(entry.boundary())).orElse(true))
                .map(Entry::feature).toList();
        return page(matched, query);
    }

    @Override
    public Optional<OgcFeature> item(String id) {
        return Optional.ofNullable(byCode.get(id)).map(Entry::feature);
    }

    static Page page(List<OgcFeature> matched, ItemsQuery query) {
        int from = (int) Math.min(matched.size(), query.offset());
        int to = (int) Math.min(matched.size(), from + (long) query.limit());
        return new Page(List.copyOf(matched.subList(from, to)), matched.size());
    }
}
