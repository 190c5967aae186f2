package org.soilobs.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;
import org.soilobs.model.Placement;

class CountryLocatorTest {

    private static final CountryLocator WORLD = ReferenceData.load().locator();

    // Kenya sits in the intermediate region 014 Eastern Africa, Brazil in 005 South America: both roll
    // up to their sub-regions (202, 419), the level the observatory aggregates at.
    @ParameterizedTest(name = "{0} ({1}, {2}) is in {3} / {4} / {5}")
    @CsvSource({
        "Paris,          2.3522,   48.8566, FRA, 155, 150",
        "Nairobi,       36.8219,   -1.2921, KEN, 202, 002",
        "Brasília,     -47.8825,  -15.7942, BRA, 419, 019",
        "Canberra,     149.1300,  -35.2809, AUS, 053, 009",
        "Delhi,         77.2090,   28.6139, IND, 034, 142",
        "Ottawa,       -75.6972,   45.4215, CAN, 021, 019",
        "Pristina,      21.1655,   42.6629, XKX, 039, 150",
        "Taipei,       121.5654,   25.0330, TWN, 030, 142",
        "Hargeisa,      44.0650,    9.5600, SOL, 202, 002",
        "Lefkoniko,     33.7500,   35.2600, CYN, 145, 142",
        "Nicosia south, 33.3300,   35.1200, CYP, 145, 142",
        "Maseru,        27.4869,  -29.3151, LSO, 202, 002",
        "Bloemfontein,  26.2041,  -29.0852, ZAF, 202, 002",
        "Cayenne,      -52.3300,    4.9200, GUF, 419, 019",
        "Saint-Denis,   55.4500,  -20.9000, REU, 202, 002",
        "Longyearbyen,  15.6356,   78.2232, SJM, 154, 150",
        "Flying Fish Cove, 105.6800, -10.4500, CXR, 053, 009",
        "Kaliningrad,   20.5100,   54.7100, RUS, 151, 150",
        "Chukotka west of 180°, 172.0000, 66.0000, RUS, 151, 150",
        "Chukotka east of 180°, -175.0000, 67.0000, RUS, 151, 150",
        "Taveuni east of 180°, -179.9000, -16.8000, FJI, 054, 009",
        "Vanua Levu west of 180°, 179.5000, -16.6000, FJI, 054, 009",
        "Suva,         178.4400,  -18.1200, FJI, 054, 009",
        "Tashkent,      69.2401,   41.2995, UZB, 143, 142",
        "Mexico City,  -99.1332,   19.4326, MEX, 419, 019",
        "Uppsala,       17.6389,   59.8586, SWE, 154, 150",
        "Cairo,         31.2357,   30.0444, EGY, 015, 002",
        "Jakarta,      106.8456,   -6.2088, IDN, 035, 142",
        "Ankara,        32.8597,   39.9334, TUR, 145, 142",
        "Port Moresby, 147.1800,   -9.4400, PNG, 054, 009",
    })
    void placesCities(String city, double lon, double lat, String iso3, String subregion, String region) {
        assertThat(WORLD.placementAt(lon, lat)).as(city).contains(new Placement(iso3, subregion, region));
    }

    @ParameterizedTest(name = "{0} ({1}, {2}) is in no country")
    @CsvSource({
        "mid-Atlantic,            -30.0,  30.0",
        "mid-Pacific,            -150.0,   0.0",
        "Indian Ocean,             80.0, -30.0",
        "Bay of Biscay,            -5.0,  45.5",
        "Antarctica (left out),     0.0, -85.0",
        "North Pole,                0.0,  90.0",
    })
    void findsNoCountryAtSeaOrInAntarctica(String where, double lon, double lat) {
        assertThat(WORLD.locate(lon, lat)).as(where).isEmpty();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"180.5, 0", "-181, 0", "0, 90.5", "0, -91", "NaN, 0", "0, NaN", "Infinity, 0"})
    void rejectsPointsThatAreNotCoordinates(double lon, double lat) {
        assertThatThrownBy(() -> WORLD.locate(lon, lat))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longitude/latitude");
    }

    // Two countries sharing the edge x = 1; BBB has an enclave CCC cut out of it as a hole.
    private static final CountryLocator SQUARES = new CountryLocator(List.of(
            country("BBB", "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0), (1.4 0.4, 1.6 0.4, 1.6 0.6, 1.4 0.6, 1.4 0.4))"),
            country("AAA", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"),
            country("CCC", "POLYGON ((1.4 0.4, 1.6 0.4, 1.6 0.6, 1.4 0.6, 1.4 0.4))"),
            country("DDD", "MULTIPOLYGON (((10 10, 11 10, 11 11, 10 11, 10 10)), ((20 20, 21 20, 21 21, 20 21, 20 20)))")));

    @ParameterizedTest(name = "({0}, {1}) → {2}")
    @CsvSource({
        "0.5,  0.5,  AAA",
        "1.2,  0.5,  BBB",
        "1.5,  0.5,  CCC",
        "1.0,  0.5,  AAA",  // on the shared border: the code that sorts first
        "1.4,  0.5,  BBB",  // on the enclave's border, which both cover
        "0.0,  0.0,  AAA",  // a corner
        "20.5, 20.5, DDD",  // the second part of a multipolygon
        "3.0,  0.5,  ''",
        "15.0, 15.0, ''",   // inside the multipolygon's envelope, outside its parts
    })
    void locatesPointsInPolygonsHolesAndBorders(double lon, double lat, String expected) {
        assertThat(SQUARES.locate(lon, lat).map(Country::iso3).orElse("")).isEqualTo(expected);
    }

    @Test
    void locatesNothingWithoutCountries() {
        assertThat(new CountryLocator(List.of()).locate(0, 0)).isEmpty();
    }

    static Country country(String iso3, String wkt) {
        try {
            return new Country(iso3, "999", iso3, "999", "998", new WKTReader().read(wkt));
        } catch (ParseException e) {
            throw new IllegalArgumentException(wkt, e);
        }
    }
}
