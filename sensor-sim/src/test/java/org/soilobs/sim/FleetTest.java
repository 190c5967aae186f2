package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Sensor;
import org.soilobs.reference.Country;
import org.soilobs.reference.ReferenceData;

class FleetTest {

    private static final ReferenceData REF = ReferenceData.load();
    private static final Fleet FLEET = Fleet.generate(7, 120, REF);

    @Test
    void sameSeedGivesTheSameFleet() {
        Fleet again = Fleet.generate(7, 120, REF);

        assertThat(again.members()).isEqualTo(FLEET.members());
        assertThat(again.fields()).isEqualTo(FLEET.fields());
        assertThat(again.sensors()).isEqualTo(FLEET.sensors());
    }

    @Test
    void anotherSeedPlacesFieldsElsewhere() {
        Fleet other = Fleet.generate(8, 120, REF);

        assertThat(other.fields()).extracting(Field::id).isEqualTo(FLEET.fields().stream().map(Field::id).toList());
        assertThat(other.fields()).extracting(Field::lon).isNotEqualTo(FLEET.fields().stream().map(Field::lon).toList());
    }

    @Test
    void spreadsOverAtLeastThirtyCountriesOnEveryContinent() {
        Set<String> countries = FLEET.fields().stream().map(f -> f.placement().country()).collect(Collectors.toSet());
        Set<String> regions = FLEET.fields().stream().map(f -> f.placement().region()).collect(Collectors.toSet());

        assertThat(countries).hasSizeGreaterThanOrEqualTo(30).isEqualTo(Set.copyOf(Fleet.COUNTRIES));
        assertThat(regions).hasSizeGreaterThanOrEqualTo(4).containsExactlyInAnyOrder("002", "009", "019", "142", "150");
    }

    @Test
    void aSmallFleetAlreadySpansAllFiveRegions() {
        Fleet small = Fleet.generate(7, 5, REF);

        assertThat(small.fields().stream().map(f -> f.placement().region()).distinct()).hasSize(5);
    }

    @Test
    void everyListedCountryIsInTheSeeds() {
        assertThat(Fleet.COUNTRIES).allSatisfy(iso3 -> assertThat(REF.country(iso3)).as(iso3).isPresent())
                .doesNotHaveDuplicates();
    }

    @Test
    void placesEveryFieldInsideItsCountrysPolygon() {
        GeometryFactory factory = new GeometryFactory();
        for (Field field : FLEET.fields()) {
            Country country = REF.country(field.placement().country()).orElseThrow();
            assertThat(country.geometry().covers(factory.createPoint(new Coordinate(field.lon(), field.lat()))))
                    .as(field.id() + " at " + field.lon() + ", " + field.lat()).isTrue();
            assertThat(field.placement()).isEqualTo(country.placement());
            assertThat(REF.locator().placementAt(field.lon(), field.lat())).contains(field.placement());
            assertThat(field.id()).startsWith("f-" + country.iso3().toLowerCase() + "-");
        }
    }

    @Test
    void namesFieldsGatewaysAndProbesByCountry() {
        assertThat(FLEET.fields().get(0).id()).isEqualTo("f-fra-0001");
        assertThat(FLEET.members().get(0).gateway()).isEqualTo("gw-fra-0001");
        assertThat(FLEET.sensors().get(0)).isEqualTo(new Sensor("f-fra-0001-p1", "gw-fra-0001", "f-fra-0001",
                Fleet.PROBE_MODEL));
        assertThat(FLEET.fields().get(40).id()).isEqualTo("f-fra-0002");
        assertThat(FLEET.fields()).extracting(Field::id).allMatch(id -> id.matches("f-[a-z]{3}-\\d{4}"))
                .doesNotHaveDuplicates();
        assertThat(FLEET.gateways()).allMatch(id -> id.matches("gw-[a-z]{3}-\\d{4}")).doesNotHaveDuplicates();
        assertThat(FLEET.sensors()).allSatisfy(sensor -> {
            assertThat(sensor.id()).isEqualTo(sensor.field() + "-p1");
            assertThat(FLEET.memberBySensor(sensor.id()).orElseThrow().gateway()).isEqualTo(sensor.gateway());
        });
    }

    @Test
    void givesFieldsPlausibleSoilProperties() {
        assertThat(FLEET.fields()).allSatisfy(field -> {
            assertThat(field.areaHa()).isBetween(1.0, 200.0);
            assertThat(field.bulkDensity()).isBetween(1.1, 1.6);
            assertThat(field.coarseFraction()).isBetween(0.0, 0.2);
            assertThat(field.depthCm()).isEqualTo(30);
            assertThat(Fleet.LAND_USES).contains(field.landUse());
        });
        assertThat(FLEET.members()).allSatisfy(member -> {
            SoilState soil = member.soil();
            assertThat(soil.socMean()).isBetween(5.0, 40.0);
            assertThat(soil.phMean()).isBetween(4.5, 8.5);
            assertThat(soil.ecMean()).isBetween(0.05, 2.0);
            assertThat(soil.vwcMean()).isBetween(0.05, 0.45);
            assertThat(FLEET.soil(member.id())).contains(soil);
        });
    }

    @Test
    void givesEachFieldOneOfTheTrueSocTrendsAndATexture() {
        assertThat(FLEET.members()).extracting(member -> member.soil().socTrendPerYear())
                .allMatch(Fleet.SOC_TRENDS::contains)
                .containsAll(Fleet.SOC_TRENDS);
        ReadingGenerator generator = new ReadingGenerator(FLEET.seed());
        assertThat(FLEET.members()).allSatisfy(member -> {
            SoilProfile soil = generator.profile(member);
            assertThat(soil.sand() + soil.silt() + soil.clay()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(soil.saturation()).isBetween(0.39, 0.59);
            assertThat(soil.wiltingPoint()).isBetween(0.02, 0.35);
            assertThat(soil.bulkDensity()).isEqualTo(member.field().bulkDensity());
        });
    }

    @Test
    void keepsFieldsWhereFarmingIs() {
        assertThat(FLEET.fields()).allSatisfy(field -> assertThat(Math.abs(field.lat())).isLessThanOrEqualTo(60));
        // Mainland only: no Hawaiian or Alaskan field for the USA, none on Sardinia for Italy.
        assertThat(FLEET.fields().stream().filter(f -> f.placement().country().equals("USA")))
                .allSatisfy(f -> assertThat(f.lon()).isBetween(-125.0, -66.0));
    }

    @Test
    void refusesAnEmptyFleet() {
        assertThatThrownBy(() -> Fleet.generate(1, 0, REF)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void placementsReferToExistingAreas() {
        assertThat(FLEET.fields()).allSatisfy(field -> {
            assertThat(REF.area(Level.SUBREGION, field.placement().subregion())).isPresent();
            assertThat(REF.area(Level.REGION, field.placement().region())).isPresent();
        });
    }
}
