package org.soilobs.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.model.Stats;

class SocStockTest {

    /** DESIGN §6 worked examples; docs/science.md "SOC stock". */
    @ParameterizedTest(name = "{0} g/kg × {1} g/cm3 × {2} cm × (1 − {3}) × 0.1 = {4} t C/ha")
    @CsvSource(delimiter = '|', textBlock = """
            15   | 1.3  | 30 | 0    | 58.5
            6.5  | 1.45 | 30 | 0    | 28.275
            15   | 1.3  | 30 | 0.2  | 46.8
            20   | 1.2  | 20 | 0.1  | 43.2
            0    | 1.3  | 30 | 0    | 0
            """)
    void computesTheStockOfALayer(double soc, double bulkDensity, double depth, double coarse, double stock) {
        assertThat(SocStock.tonnesPerHectare(soc, bulkDensity, depth, coarse)).isCloseTo(stock, within(1e-9));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            6.5 | 1.45 | 30 | 0 | 28.3
            """)
    void roundsTheSecondDesignExampleTo28Point3(double soc, double bulkDensity, double depth, double coarse, double shown) {
        assertThat(Math.round(SocStock.tonnesPerHectare(soc, bulkDensity, depth, coarse) * 10) / 10.0).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            -1  | 1.3 | 30 | 0
            NaN | 1.3 | 30 | 0
            15  | 0   | 30 | 0
            15  | 1.3 | 0  | 0
            15  | 1.3 | 30 | 1
            """)
    void refusesImpossibleInputs(double soc, double bulkDensity, double depth, double coarse) {
        assertThatThrownBy(() -> SocStock.tonnesPerHectare(soc, bulkDensity, depth, coarse))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scalesADaysStatisticsIntoStocks() {
        Instant t1 = Instant.parse("2026-11-20T06:00:00Z");
        Instant t2 = Instant.parse("2026-11-20T18:00:00Z");
        Stats soc = Stats.of(14, t1, List.of("G")).merge(Stats.of(16, t2, List.of("G")))
                .merge(Stats.of(30, t2, List.of("D06")));
        double factor = SocStock.factor(1.3, 30, 0);

        Stats stock = SocStock.stats(soc, factor);

        // 15 g/kg mean × 3.9 = 58.5 t C/ha; 14 → 54.6, 16 → 62.4; the spike is counted, not used
        assertThat(stock.mean()).isCloseTo(58.5, within(1e-9));
        assertThat(stock.min()).isCloseTo(54.6, within(1e-9));
        assertThat(stock.max()).isCloseTo(62.4, within(1e-9));
        assertThat(stock.variance()).isCloseTo(soc.variance() * factor * factor, within(1e-9));
        assertThat(stock.flags()).containsEntry("G", 2L).containsEntry("D06", 1L);
        assertThat(stock.first()).isEqualTo(t1);
    }
}
