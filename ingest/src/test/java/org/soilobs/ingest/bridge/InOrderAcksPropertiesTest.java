package org.soilobs.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class InOrderAcksPropertiesTest {

    /** Messages with some sends each, completed in an arbitrary interleaving. */
    record Scenario(List<Integer> sendsPerMessage, List<Integer> completionOrder) {
    }

    @Property(tries = 2_000)
    void acksAreAlwaysAPrefixOfTheReceiveOrderAndEndComplete(@ForAll("scenarios") Scenario scenario) {
        List<Integer> acked = new ArrayList<>();
        InOrderAcks acks = new InOrderAcks((id, qos) -> acked.add(id));
        List<InOrderAcks.Entry> entries = new ArrayList<>();
        List<Integer> remaining = new ArrayList<>();
        for (int id = 0; id < scenario.sendsPerMessage().size(); id++) {
            entries.add(acks.received(id, 1, scenario.sendsPerMessage().get(id)));
            remaining.add(scenario.sendsPerMessage().get(id));
        }
        List<Integer> pendingIds = new ArrayList<>();
        for (int id = 0; id < remaining.size(); id++) {
            for (int s = 0; s < remaining.get(id); s++) {
                pendingIds.add(id);
            }
        }
        for (int pick : scenario.completionOrder()) {
            if (pendingIds.isEmpty()) {
                break;
            }
            int id = pendingIds.remove(pick % pendingIds.size());
            entries.get(id).sent();
            remaining.set(id, remaining.get(id) - 1);

            int expectedPrefix = 0;
            while (expectedPrefix < remaining.size() && remaining.get(expectedPrefix) == 0) {
                expectedPrefix++;
            }
            assertThat(acked).hasSize(expectedPrefix);
        }
        while (!pendingIds.isEmpty()) {
            entries.get(pendingIds.remove(0)).sent();
        }
        for (int i = 0; i < acked.size(); i++) {
            assertThat(acked.get(i)).isEqualTo(i);
        }
        assertThat(acked).hasSize(entries.size());
        assertThat(acks.inFlight()).isZero();
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 4).list().ofMaxSize(30),
                        Arbitraries.integers().between(0, 10_000).list().ofMaxSize(120))
                .as(Scenario::new);
    }
}
