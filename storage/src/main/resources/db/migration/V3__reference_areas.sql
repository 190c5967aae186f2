-- The areas above fields (countries, UN M49 sub-regions and regions, the world) with their boundaries
-- simplified for the map, loaded from the reference seeds by the sink at start (docs/storage.md).
CREATE TABLE area (
    level            text NOT NULL CHECK (level IN ('country', 'subregion', 'region', 'world')),
    code             text NOT NULL,
    name             text NOT NULL,
    parent_code      text,
    geometry_geojson text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (level, code),
    CHECK ((level = 'world') = (parent_code IS NULL))
);
CREATE INDEX area_parent ON area (parent_code);

-- What was last loaded into a reference table, so that an unchanged seed is not written again.
CREATE TABLE reference_load (
    name        text PRIMARY KEY,
    fingerprint text NOT NULL,
    rows        integer NOT NULL,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);
