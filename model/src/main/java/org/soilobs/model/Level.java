package org.soilobs.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The spatial levels of the observatory, from a registered field up to the whole world (DESIGN §5). */
public enum Level {
    FIELD,
    COUNTRY,
    SUBREGION,
    REGION,
    WORLD;

    /** The M49 code of the world, the single area at {@link #WORLD} level. */
    public static final String WORLD_CODE = "001";

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The next level up, or empty for the world. */
    public Optional<Level> parent() {
        return this == WORLD ? Optional.empty() : Optional.of(values()[ordinal() + 1]);
    }

    public static Optional<Level> byId(String id) {
        for (Level level : values()) {
            if (level.id().equals(id)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    public static Level fromId(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("unknown level: " + id));
    }
}
