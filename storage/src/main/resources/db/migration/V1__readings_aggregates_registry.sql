-- The observatory's tables (DESIGN §7). Plain PostgreSQL: native range partitioning of readings by
-- event time. The TimescaleDB path (hypertables, compression, retention) comes with its own migration.

CREATE TABLE field (
    id              text PRIMARY KEY,
    lon             double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    area_ha         double precision NOT NULL CHECK (area_ha > 0),
    land_use        text NOT NULL,
    bulk_density    double precision NOT NULL,
    coarse_fraction double precision NOT NULL,
    depth_cm        integer NOT NULL,
    country         text NOT NULL,
    subregion       text NOT NULL,
    region          text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX field_country ON field (country);

CREATE TABLE sensor (
    id         text PRIMARY KEY,
    gateway    text NOT NULL,
    field      text NOT NULL,
    model      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per accepted reading; the unique key is the de-duplication identity, so a replayed batch
-- inserts nothing twice.
CREATE TABLE reading (
    time            timestamptz NOT NULL,
    sensor          text NOT NULL,
    quantity        text NOT NULL,
    value           double precision NOT NULL,
    field           text NOT NULL,
    country         text NOT NULL,
    subregion       text NOT NULL,
    region          text NOT NULL,
    depth_top_cm    smallint NOT NULL,
    depth_bottom_cm smallint NOT NULL,
    flags           text[] NOT NULL,
    gateway         text NOT NULL,
    seq             bigint NOT NULL,
    received_at     timestamptz NOT NULL,
    stored_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reading_identity UNIQUE (sensor, quantity, time)
) PARTITION BY RANGE (time);

-- Catches readings outside the partitions created ahead of time, so that no reading is ever refused.
CREATE TABLE reading_default PARTITION OF reading DEFAULT;
CREATE INDEX reading_field_quantity_time ON reading (field, quantity, time DESC);

-- Monthly partitions, created ahead by the sink at start. A month whose rows already sit in the
-- default partition is left there rather than failing the whole call.
CREATE FUNCTION ensure_reading_partitions(first_month date, months integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    created integer := 0;
    month_start date;
    partition_name text;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        month_start := (date_trunc('month', first_month) + make_interval(months => i))::date;
        partition_name := 'reading_' || to_char(month_start, 'YYYY_MM');
        CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
        CONTINUE WHEN EXISTS (SELECT 1 FROM reading_default
                              WHERE time >= month_start AND time < month_start + interval '1 month');
        EXECUTE format('CREATE TABLE %I PARTITION OF reading FOR VALUES FROM (%L) TO (%L)',
                       partition_name, month_start, (month_start + interval '1 month')::date);
        created := created + 1;
    END LOOP;
    RETURN created;
END;
$$;

-- Mergeable statistics of one area, quantity and bucket; the sink upserts the full state.
CREATE TABLE aggregate (
    level             text NOT NULL,
    area              text NOT NULL,
    quantity          text NOT NULL,
    resolution        text NOT NULL,
    bucket            timestamptz NOT NULL,
    count             bigint NOT NULL,
    sum               double precision NOT NULL,
    sum_sq            double precision NOT NULL,
    min               double precision,
    max               double precision,
    first_time        timestamptz,
    last_time         timestamptz,
    area_ha           double precision NOT NULL,
    area_weighted_sum double precision NOT NULL,
    flags             jsonb NOT NULL,
    members           integer NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (level, area, quantity, resolution, bucket)
);
CREATE INDEX aggregate_layer ON aggregate (level, quantity, resolution, bucket DESC);

-- Bumped by the sink on every write to a level, so that pollers learn cheaply whether a layer changed.
CREATE TABLE layer_version (
    level      text PRIMARY KEY,
    version    bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO layer_version (level, version)
VALUES ('field', 0), ('country', 0), ('subregion', 0), ('region', 0), ('world', 0);
