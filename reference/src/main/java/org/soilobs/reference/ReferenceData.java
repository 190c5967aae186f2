package org.soilobs.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.geojson.GeoJsonReader;
import org.locationtech.jts.io.geojson.GeoJsonWriter;
import org.locationtech.jts.simplify.TopologyPreservingSimplifier;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Placement;

/**
 * The countries, the UN M49 hierarchy above them and their boundaries, read from the seeds on the
 * classpath ({@code /seeds/}, see {@code seeds/README.md}). Loaded once per JVM; thread-safe.
 *
 * <p>Countries and the hierarchy are read at load; the dissolved sub-region, region and world
 * boundaries and the simplified map geometries only when first asked for.
 */
public final class ReferenceData {

    /** Simplification tolerance of the map geometries, degrees (≈ 2 km at the equator). */
    public static final double DISPLAY_TOLERANCE_DEG = 0.02;
    /**
     * Decimals of the map geometries: those of the seeds, so that writing moves no vertex (three
     * decimals made the simplified Cocos Islands self-intersect).
     */
    private static final int DISPLAY_DECIMALS = 4;
    private static final String SEEDS = "/seeds/";
    private static final int WGS84 = 4326;

    private static final class Holder {
        static final ReferenceData INSTANCE = read();
    }

    private final GeometryFactory factory;
    private final List<Country> countries;
    private final Map<String, Country> byIso3;
    private final Map<Level, Map<String, Area>> areas;
    private final CountryLocator locator;
    private final Map<Level, Map<String, Geometry>> areaGeometries = new ConcurrentHashMap<>();
    private final Map<String, String> display = new ConcurrentHashMap<>();

    private ReferenceData(GeometryFactory factory, List<Country> countries, Map<Level, Map<String, Area>> areas) {
        this.factory = factory;
        this.countries = List.copyOf(countries);
        Map<String, Country> index = new LinkedHashMap<>();
        countries.forEach(country -> index.put(country.iso3(), country));
        this.byIso3 = Map.copyOf(index);
        this.areas = areas;
        this.locator = new CountryLocator(countries);
    }

    /** The reference data of the seeds on the classpath, read on the first call. */
    public static ReferenceData load() {
        return Holder.INSTANCE;
    }

    /** Every country, ordered by ISO alpha-3 code. */
    public List<Country> countries() {
        return countries;
    }

    /** The country with this ISO alpha-3 code (any case). */
    public Optional<Country> country(String iso3) {
        return iso3 == null ? Optional.empty() : Optional.ofNullable(byIso3.get(iso3.toUpperCase(Locale.ROOT)));
    }

    /** The areas of a level, ordered by code. */
    public List<Area> areas(Level level) {
        return List.copyOf(areasOf(level).values());
    }

    public Optional<Area> area(Level level, String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(areasOf(level).get(normalise(level, code)));
    }

    /** Where a country sits in the hierarchy. */
    public Optional<Placement> placementOf(String iso3) {
        return country(iso3).map(Country::placement);
    }

    /**
     * The full-resolution boundary of an area: a country's own, the dissolved union of the countries
     * of a sub-region or region, or of every country for the world (Antarctica is not among them).
     *
     * @throws IllegalArgumentException when the level has no area with that code
     */
    public Geometry geometry(Level level, String code) {
        Area area = area(level, code).orElseThrow(() -> new IllegalArgumentException(
                "no " + level.id() + " with code " + code));
        if (level == Level.COUNTRY) {
            return byIso3.get(area.code()).geometry();
        }
        return areaGeometries.computeIfAbsent(level, this::readAreaGeometries).get(area.code());
    }

    /**
     * A GeoJSON geometry of the area for the map: simplified with {@link TopologyPreservingSimplifier}
     * at {@link #DISPLAY_TOLERANCE_DEG}, counter-clockwise exterior rings, rendered on first use and
     * cached. Each area is simplified on its own, so neighbours' borders may part by up to the
     * tolerance.
     *
     * @throws IllegalArgumentException when the level has no area with that code
     */
    public String displayGeoJson(Level level, String code) {
        Geometry geometry = geometry(level, code);
        return display.computeIfAbsent(level.id() + ':' + normalise(level, code), key -> {
            GeoJsonWriter writer = new GeoJsonWriter(DISPLAY_DECIMALS);
            writer.setEncodeCRS(false);
            writer.setForceCCW(true);
            return writer.write(simplifyForDisplay(geometry));
        });
    }

    /**
     * The simplifier can still leave a tiny polygon invalid (the Cocos atoll, a ring around its lagoon,
     * self-intersects at 0.02°): such a polygon is simplified again with ever smaller tolerances, and
     * drawn in full if none gives a valid one.
     */
    static Geometry simplifyForDisplay(Geometry geometry) {
        Geometry simplified = TopologyPreservingSimplifier.simplify(geometry, DISPLAY_TOLERANCE_DEG);
        if (simplified.isValid() || simplified.getNumGeometries() != geometry.getNumGeometries()) {
            return simplified.isValid() ? simplified : geometry;
        }
        Polygon[] parts = new Polygon[geometry.getNumGeometries()];
        for (int i = 0; i < parts.length; i++) {
            Geometry original = geometry.getGeometryN(i);
            Geometry part = simplified.getGeometryN(i);
            for (double tolerance = DISPLAY_TOLERANCE_DEG / 4; !part.isValid() && tolerance > DISPLAY_TOLERANCE_DEG / 100;
                    tolerance /= 4) {
                part = TopologyPreservingSimplifier.simplify(original, tolerance);
            }
            parts[i] = (Polygon) (part.isValid() ? part : original);
        }
        return geometry instanceof Polygon ? parts[0] : geometry.getFactory().createMultiPolygon(parts);
    }

    public CountryLocator locator() {
        return locator;
    }

    private Map<String, Area> areasOf(Level level) {
        Map<String, Area> ofLevel = areas.get(level);
        if (ofLevel == null) {
            throw new IllegalArgumentException("reference data has no " + level.id() + " areas: fields are registered");
        }
        return ofLevel;
    }

    private static String normalise(Level level, String code) {
        return level == Level.COUNTRY ? code.toUpperCase(Locale.ROOT) : code;
    }

    private static ReferenceData read() {
        GeometryFactory factory = new GeometryFactory(new PrecisionModel(), WGS84);
        GeoJsonReader geoJson = new GeoJsonReader(factory);

        JsonNode m49 = readJson("m49.json");
        Map<Level, Map<String, Area>> areas = new EnumMap<>(Level.class);
        JsonNode world = m49.path("world");
        areas.put(Level.WORLD, Map.of(world.path("code").asText(),
                new Area(Level.WORLD, world.path("code").asText(), world.path("name").asText(), null)));
        areas.put(Level.REGION, hierarchyLevel(Level.REGION, m49.path("regions")));
        areas.put(Level.SUBREGION, hierarchyLevel(Level.SUBREGION, m49.path("subregions")));

        List<Country> countries = new ArrayList<>();
        for (JsonNode feature : readJson("countries.geojson").path("features")) {
            JsonNode properties = feature.path("properties");
            countries.add(new Country(
                    properties.path("iso3").asText(),
                    properties.path("m49").asText(),
                    properties.path("name").asText(),
                    properties.path("subregion").asText(),
                    properties.path("region").asText(),
                    readGeometry(geoJson, feature, "countries.geojson")));
        }
        countries.sort(Comparator.comparing(Country::iso3));
        Map<String, Area> countryAreas = new LinkedHashMap<>();
        for (Country country : countries) {
            Area subregion = areas.get(Level.SUBREGION).get(country.subregion());
            if (subregion == null || !subregion.parentCode().equals(country.region())) {
                throw new IllegalStateException("seeds: " + country.iso3() + " is placed in sub-region "
                        + country.subregion() + " / region " + country.region() + ", which m49.json does not hold");
            }
            if (countryAreas.put(country.iso3(),
                    new Area(Level.COUNTRY, country.iso3(), country.name(), country.subregion())) != null) {
                throw new IllegalStateException("seeds: country " + country.iso3() + " appears twice");
            }
        }
        areas.put(Level.COUNTRY, countryAreas);
        areas.replaceAll((level, ofLevel) -> Collections.unmodifiableMap(ofLevel));
        return new ReferenceData(factory, countries, areas);
    }

    private static Map<String, Area> hierarchyLevel(Level level, JsonNode entries) {
        Map<String, Area> ofLevel = new TreeMap<>();
        for (JsonNode entry : entries) {
            Area area = new Area(level, entry.path("code").asText(), entry.path("name").asText(),
                    entry.path("parent").asText());
            ofLevel.put(area.code(), area);
        }
        return ofLevel;
    }

    private Map<String, Geometry> readAreaGeometries(Level level) {
        String file = switch (level) {
            case SUBREGION -> "subregions.geojson";
            case REGION -> "regions.geojson";
            case WORLD -> "world.geojson";
            default -> throw new IllegalArgumentException("no area file for " + level.id());
        };
        GeoJsonReader geoJson = new GeoJsonReader(factory);
        Map<String, Geometry> geometries = new LinkedHashMap<>();
        for (JsonNode feature : readJson(file).path("features")) {
            geometries.put(feature.path("properties").path("code").asText(), readGeometry(geoJson, feature, file));
        }
        if (!geometries.keySet().equals(areasOf(level).keySet())) {
            throw new IllegalStateException("seeds: " + file + " holds " + geometries.keySet()
                    + " but m49.json lists " + areasOf(level).keySet());
        }
        return Map.copyOf(geometries);
    }

    private static Geometry readGeometry(GeoJsonReader geoJson, JsonNode feature, String file) {
        try {
            return geoJson.read(feature.path("geometry").toString());
        } catch (ParseException e) {
            throw new IllegalStateException("seeds: bad geometry in " + file + " for " + feature.path("properties"), e);
        }
    }

    private static JsonNode readJson(String name) {
        try (InputStream in = ReferenceData.class.getResourceAsStream(SEEDS + name)) {
            if (in == null) {
                throw new IllegalStateException("seeds: " + SEEDS + name + " is not on the classpath");
            }
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("seeds: cannot read " + SEEDS + name, e);
        }
    }
}
