-- The time layout of the tables, chosen once at start by Database.migrate and handed in as the Flyway
-- placeholder ${timescaledb} ('true' when the server can load the extension, see docs/storage.md):
--   true:  reading becomes a hypertable on time (1-day chunks, compressed after 7 days; the retention
--          policy is (re)applied at every start from OBS_DB_RETENTION) and aggregate a hypertable on bucket;
--   false: reading keeps V1's native monthly range partitions, created ahead by PartitionMaintenance, and
--          a time_bucket() with TimescaleDB's semantics is defined, so that the same queries run on both.

-- A reading table that is not partitioned natively (a hypertable) needs no partitions made ahead.
CREATE OR REPLACE FUNCTION ensure_reading_partitions(first_month date, months integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    created integer := 0;
    month_start date;
    partition_name text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_partitioned_table WHERE partrelid = 'reading'::regclass) THEN
        RETURN 0;
    END IF;
    FOR i IN 0 .. months - 1 LOOP
        month_start := (date_trunc('month', first_month) + make_interval(months => i))::date;
        partition_name := 'reading_' || to_char(month_start, 'YYYY_MM');
        CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
        -- A month whose rows already sit in the default partition stays there rather than failing the call.
        CONTINUE WHEN EXISTS (SELECT 1 FROM reading_default
                              WHERE time >= month_start AND time < month_start + interval '1 month');
        EXECUTE format('CREATE TABLE %I PARTITION OF reading FOR VALUES FROM (%L) TO (%L)',
                       partition_name, month_start, (month_start + interval '1 month')::date);
        created := created + 1;
    END LOOP;
    RETURN created;
END;
$$;

-- Native retention: drops the monthly partitions that end at or before the cutoff; returns how many.
CREATE FUNCTION drop_reading_partitions_before(cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    dropped integer := 0;
    part record;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_partitioned_table WHERE partrelid = 'reading'::regclass) THEN
        RETURN 0;
    END IF;
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'reading'::regclass AND c.relname ~ '^reading_[0-9]{4}_[0-9]{2}$'
    LOOP
        IF (to_date(substr(part.relname, 9), 'YYYY_MM') + interval '1 month') <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END;
$$;

DO $do$
BEGIN
    IF '${timescaledb}' = 'true' THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;

        -- A hypertable cannot be made from a natively partitioned table: rebuild reading as a hypertable
        -- and move any rows over.
        CREATE TABLE reading_hypertable (LIKE reading INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
        PERFORM create_hypertable('reading_hypertable', 'time', chunk_time_interval => INTERVAL '1 day');
        INSERT INTO reading_hypertable SELECT * FROM reading;
        DROP TABLE reading CASCADE;
        ALTER TABLE reading_hypertable RENAME TO reading;
        ALTER TABLE reading ADD CONSTRAINT reading_identity UNIQUE (sensor, quantity, time);
        CREATE INDEX reading_field_quantity_time ON reading (field, quantity, time DESC);
        -- Segments by series and orders by time, so that the identity (sensor, quantity, time) is covered
        -- and ON CONFLICT still works against compressed chunks.
        ALTER TABLE reading SET (timescaledb.compress,
                                 timescaledb.compress_segmentby = 'sensor, quantity',
                                 timescaledb.compress_orderby = 'time DESC');
        PERFORM add_compression_policy('reading', INTERVAL '7 days');

        -- Aggregates are upserted late and deleted on tombstones, so they are chunked but not compressed.
        PERFORM create_hypertable('aggregate', 'bucket', chunk_time_interval => INTERVAL '30 days',
                                  migrate_data => true);
    ELSE
        -- TimescaleDB's time_bucket(interval, timestamptz): buckets in UTC, sub-month widths aligned to
        -- Monday 2000-01-03, month widths to 2000-01-01.
        CREATE FUNCTION time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
        DECLARE
            months integer := extract(year FROM bucket_width)::integer * 12
                              + extract(month FROM bucket_width)::integer;
            utc timestamp := ts AT TIME ZONE 'UTC';
            elapsed integer;
        BEGIN
            IF months = 0 THEN
                RETURN date_bin(bucket_width, ts, timestamptz '2000-01-03 00:00:00+00');
            END IF;
            IF bucket_width <> make_interval(months => months) THEN
                RAISE EXCEPTION 'time_bucket: a width of months cannot also hold days or time, was %',
                    bucket_width;
            END IF;
            elapsed := (extract(year FROM utc)::integer - 2000) * 12 + extract(month FROM utc)::integer - 1;
            RETURN (timestamp '2000-01-01' + make_interval(months => floor(elapsed::numeric / months)::integer
                                                                     * months)) AT TIME ZONE 'UTC';
        END;
        $fn$;
    END IF;
END;
$do$;
