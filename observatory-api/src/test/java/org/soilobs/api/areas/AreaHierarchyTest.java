package org.soilobs.api.areas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Level;
import org.soilobs.reference.ReferenceData;

class AreaHierarchyTest {

    private static final ReferenceData REFERENCE = ReferenceData.load();

    private static Stream<AreaNode> flatten(AreaNode node) {
        return Stream.concat(Stream.of(node),
                node.children() == null ? Stream.empty() : node.children().stream().flatMap(AreaHierarchyTest::flatten));
    }

    private static Optional<AreaNode> child(AreaNode node, String code) {
        return node.children().stream().filter(child -> child.code().equals(code)).findFirst();
    }

    @Test
    void holdsEveryReferenceAreaOnceUnderTheWorld() {
        AreaNode world = new AreaHierarchy(REFERENCE).tree(Map.of());

        assertThat(world.level()).isEqualTo(Level.WORLD);
        assertThat(world.code()).isEqualTo(Level.WORLD_CODE);
        for (Level level : List.of(Level.REGION, Level.SUBREGION, Level.COUNTRY)) {
            List<String> inTree = flatten(world).filter(node -> node.level() == level).map(AreaNode::code).toList();
            assertThat(inTree).as(level.id()).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(REFERENCE.areas(level).stream().map(a -> a.code()).toList());
        }
    }

    @Test
    void placesFranceInWesternEuropeInEuropeAndCountsFieldsUpwards() {
        AreaNode world = new AreaHierarchy(REFERENCE).tree(Map.of("FRA", 3L, "DEU", 2L, "KEN", 1L));

        AreaNode europe = child(world, "150").orElseThrow();
        AreaNode western = child(europe, "155").orElseThrow();
        AreaNode france = child(western, "FRA").orElseThrow();

        assertThat(france.name()).isEqualTo("France");
        assertThat(france.fields()).isEqualTo(3);
        assertThat(france.children()).isNull();
        assertThat(western.fields()).isEqualTo(5);
        assertThat(europe.fields()).isEqualTo(5);
        assertThat(world.fields()).isEqualTo(6);
    }

    @Test
    void sortsChildrenByName() {
        AreaNode world = new AreaHierarchy(REFERENCE).tree(Map.of());

        List<String> regions = world.children().stream().map(AreaNode::name).toList();
        assertThat(regions).isSorted();
    }
}
