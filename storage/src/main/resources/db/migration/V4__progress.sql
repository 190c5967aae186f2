-- Progress towards "4 per 1000" (DESIGN §6, docs/science.md), one row per area, written by the sink from
-- soil.progress (full state upserts; a tombstone deletes). Above field level the rate is stock-weighted:
-- rate = delta_t_per_year / baseline_stock_t over the fields with a trend.
CREATE TABLE progress (
    level                   text NOT NULL CHECK (level IN ('field', 'country', 'subregion', 'region', 'world')),
    area                    text NOT NULL,
    as_of                   timestamptz NOT NULL,
    status                  text NOT NULL
        CHECK (status IN ('on_track', 'not_on_track', 'losing', 'insufficient_data')),
    rate                    double precision,
    rate_low                double precision,
    rate_high               double precision,
    stock_t                 double precision NOT NULL CHECK (stock_t >= 0),
    baseline_stock_t        double precision NOT NULL CHECK (baseline_stock_t >= 0),
    delta_t_per_year        double precision NOT NULL,
    delta_variance          double precision NOT NULL CHECK (delta_variance >= 0),
    area_ha                 double precision NOT NULL CHECK (area_ha > 0),
    fields                  integer NOT NULL CHECK (fields >= 1),
    fields_with_trend       integer NOT NULL CHECK (fields_with_trend BETWEEN 0 AND fields),
    fields_on_track         integer NOT NULL,
    fields_not_on_track     integer NOT NULL,
    fields_losing           integer NOT NULL,
    fields_insufficient     integer NOT NULL,
    points                  integer,
    mann_kendall_p          double precision,
    updated_at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (level, area),
    CHECK ((rate IS NULL) = (status = 'insufficient_data')),
    CHECK ((rate IS NULL) = (rate_low IS NULL) AND (rate IS NULL) = (rate_high IS NULL)),
    CHECK (fields_on_track + fields_not_on_track + fields_losing + fields_insufficient = fields)
);
-- The API ranks a level by rate.
CREATE INDEX progress_rank ON progress (level, rate DESC NULLS LAST);
