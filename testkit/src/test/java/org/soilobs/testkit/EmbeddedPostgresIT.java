package org.soilobs.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresIT {

    @TempDir
    Path dataDir;

    @Test
    void answersQueriesOverJdbc() throws Exception {
        assertThat(query(SharedInfra.postgres().dataSource(), "select 1")).containsExactly("1");
    }

    @Test
    void connectsAsTheObservatoryRoleToTheObservatoryDatabaseItOwns() throws Exception {
        EmbeddedPostgres postgres = SharedInfra.postgres();

        assertThat(postgres.jdbcUrl()).endsWith("/observatory");
        assertThat(query(postgres.dataSource(), "select current_database() || ' ' || current_user"))
                .containsExactly("observatory observatory");
        assertThat(query(postgres.dataSource(),
                "select pg_get_userbyid(datdba) from pg_database where datname = 'observatory'"))
                .containsExactly("observatory");
    }

    @Test
    void restartOnTheSameDirectoryKeepsTables() throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(dataDir)) {
            execute(first.dataSource(), "create table plot (id int primary key, name text)");
            execute(first.dataSource(), "insert into plot values (1, 'Rothamsted Broadbalk')");
        }

        try (EmbeddedPostgres second = EmbeddedPostgres.start(dataDir)) {
            assertThat(query(second.dataSource(), "select name from plot")).containsExactly("Rothamsted Broadbalk");
        }
    }

    @Test
    void closeLeavesNoServerProcessBehind() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder(dataDir).durable(false).start();
        long pid = postmasterPid();

        postgres.close();
        postgres.close();

        assertThat(EmbeddedPostgres.isRunning(pid)).as("postmaster %d running", pid).isFalse();
        assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void stopsAServerLeftRunningOnTheSameDirectoryByAnEarlierRun() throws Exception {
        // Never closed: stands for a JVM that died without stopping its server.
        EmbeddedPostgres.builder(dataDir).durable(false).start();
        long stalePid = postmasterPid();

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder(dataDir).durable(false).start()) {
            assertThat(EmbeddedPostgres.isRunning(stalePid)).as("stale postmaster %d running", stalePid).isFalse();
            assertThat(postmasterPid()).isNotEqualTo(stalePid);
            assertThat(query(postgres.dataSource(), "select 1")).containsExactly("1");
        }
    }

    private long postmasterPid() throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> query(DataSource dataSource, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet resultSet = statement.executeQuery(sql)) {
            while (resultSet.next()) {
                rows.add(resultSet.getString(1));
            }
        }
        return rows;
    }
}
