package org.soilobs.storage;

import java.util.Map;

/**
 * Where the database is and how to log in. Read from {@code OBS_DB_URL}, {@code OBS_DB_USER} and
 * {@code OBS_DB_PASSWORD}.
 */
public record DbConfig(String url, String user, String password) {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/observatory";

    public DbConfig {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("OBS_DB_URL must be a jdbc:postgresql: URL, was " + url);
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("OBS_DB_USER must not be blank");
        }
        password = password == null ? "" : password;
    }

    public static DbConfig fromEnv(Map<String, String> env) {
        return new DbConfig(
                env.getOrDefault("OBS_DB_URL", DEFAULT_URL),
                env.getOrDefault("OBS_DB_USER", "observatory"),
                env.getOrDefault("OBS_DB_PASSWORD", "observatory"));
    }

    @Override
    public String toString() {
        return "DbConfig[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "****") + "]";
    }
}
