package org.soilobs.reference;

import java.util.Objects;
import org.soilobs.model.Level;

/**
 * One area of the hierarchy above fields: a country, an M49 sub-region or region, or the world.
 *
 * @param code ISO 3166-1 alpha-3 for a country, the 3-digit M49 code otherwise
 * @param parentCode the code of the area one level up; null for the world
 */
public record Area(Level level, String code, String name, String parentCode) {

    public Area {
        Objects.requireNonNull(level, "level");
        if (level == Level.FIELD) {
            throw new IllegalArgumentException("fields are registered, not reference areas");
        }
        requireText(code, "code");
        requireText(name, "name");
        if ((level == Level.WORLD) != (parentCode == null)) {
            throw new IllegalArgumentException("exactly the world has no parent; " + level.id() + " " + code
                    + " has parent " + parentCode);
        }
        if (parentCode != null) {
            requireText(parentCode, "parentCode");
        }
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
