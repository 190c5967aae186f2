package org.soilobs.api.ogc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;

class BboxTest {

    @ParameterizedTest(name = "{0} refused")
    @CsvSource(delimiter = '|', value = {
        "1,2,3",
        "1,2,3,4,5",
        "a,2,3,4",
        "1,2,,4",
        "NaN,0,1,1",
        "-181,0,10,10",
        "0,-91,10,10",
        "0,50,10,40",
    })
    void refusesWhatIsNotABoxInCrs84(String raw) {
        assertThatThrownBy(() -> Bbox.parse(raw)).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.type()).isEqualTo(ProblemType.INVALID_BBOX);
            assertThat(problem.parameter()).isEqualTo("bbox");
        });
    }

    @ParameterizedTest(name = "{0} contains ({1} {2}): {3}")
    @CsvSource(delimiter = '|', value = {
        "-10,40,10,50        | 2.35   | 48.85 | true",
        "-10,40,10,50        | 36.8   | -1.3  | false",
        "-10,40,0,10,50,100  | 2.35   | 48.85 | true",
        "170,-30,-170,0      | 179.2  | -17.8 | true",
        "170,-30,-170,0      | -175   | -20   | true",
        "170,-30,-170,0      | 0      | -20   | false",
        "0,0,10,10           | 10     | 10    | true",
    })
    void containsPointsOnEitherSideOfTheAntimeridian(String raw, double lon, double lat, boolean inside) {
        assertThat(Bbox.parse(raw).contains(lon, lat)).isEqualTo(inside);
    }

    @ParameterizedTest(name = "{0} meets {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        // The envelopes meet but the triangle does not reach the box's corner.
        "8,8,10,10       | POLYGON ((0 0, 10 0, 0 10, 0 0))         | false",
        "1,1,2,2         | POLYGON ((0 0, 10 0, 0 10, 0 0))         | true",
        "175,-20,-175,-10 | POLYGON ((-179 -16, -178 -16, -178 -15, -179 -15, -179 -16)) | true",
        "175,-20,-175,-10 | POLYGON ((0 -16, 1 -16, 1 -15, 0 -15, 0 -16)) | false",
    })
    void testsTheExactShapeNotOnlyItsEnvelope(String raw, String wkt, boolean meets) throws ParseException {
        assertThat(Bbox.parse(raw).intersects(new WKTReader().read(wkt))).isEqualTo(meets);
    }
}
