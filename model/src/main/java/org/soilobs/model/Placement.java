package org.soilobs.model;

/**
 * Where a field sits in the hierarchy: the area code at each level above it.
 *
 * @param country ISO 3166-1 alpha-3
 * @param subregion UN M49 sub-region code, e.g. {@code 155} Western Europe
 * @param region UN M49 region code, e.g. {@code 150} Europe
 */
public record Placement(String country, String subregion, String region) {

    public Placement {
        Reading.requireText(country, "country");
        Reading.requireText(subregion, "subregion");
        Reading.requireText(region, "region");
    }

    /** The area code of this placement at {@code level}; a field's own id is not part of it. */
    public String codeAt(Level level) {
        return switch (level) {
            case COUNTRY -> country;
            case SUBREGION -> subregion;
            case REGION -> region;
            case WORLD -> Level.WORLD_CODE;
            case FIELD -> throw new IllegalArgumentException("a placement has no field level");
        };
    }
}
