package org.soilobs.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.soilobs.api.store.StoreException;

class ProblemResponsesTest {

    @Test
    void tellsAnUnreachableDatabaseFromABrokenQuery() {
        assertThat(ProblemResponses.databaseUnavailable(
                new StoreException("read", new SQLTransientConnectionException("pool timed out")))).isTrue();
        assertThat(ProblemResponses.databaseUnavailable(
                new StoreException("read", new SQLException("Connection refused", "08001")))).isTrue();
        assertThat(ProblemResponses.databaseUnavailable(
                new StoreException("read", new SQLException("terminating connection", "57P01")))).isTrue();
        assertThat(ProblemResponses.databaseUnavailable(
                new StoreException("read", new SQLException("syntax error", "42601")))).isFalse();
        assertThat(ProblemResponses.databaseUnavailable(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void givesEveryProblemTypeARelativeUriAndAnErrorStatus() {
        for (ProblemType type : ProblemType.values()) {
            assertThat(type.uri()).startsWith("/problems/");
            assertThat(type.status()).isBetween(400, 599);
            Problem problem = Problem.of(type, "detail", "/x", null);
            assertThat(problem.status()).isEqualTo(type.status());
        }
    }
}
