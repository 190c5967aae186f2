package org.soilobs.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in PostgreSQL's binary {@code COPY} format (the PGCOPY header, one tuple per row, the trailer),
 * written into a growable buffer. Binary skips the server's text parsing of numbers and timestamps.
 *
 * <p>Public for the benchmark's raw-COPY baseline ({@code SinkBench}).
 *
 * @see <a href="https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.4">COPY binary format</a>
 */
public final class PgBinaryRows {

    static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800L * 1_000_000L;
    private static final int TEXT_OID = 25;
    private static final byte JSONB_VERSION = 1;

    private byte[] buffer = new byte[64 * 1024];
    private int length;
    private int rows;

    public PgBinaryRows() {
        start();
    }

    /** Begins a row of {@code columns} fields; each must then be written in the order of the COPY column list. */
    public PgBinaryRows row(int columns) {
        int16(columns);
        rows++;
        return this;
    }

    public PgBinaryRows text(String value) {
        if (value == null) {
            return nul();
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int32(bytes.length);
        put(bytes);
        return this;
    }

    /** A {@code jsonb} value: the version byte, then the JSON text. */
    public PgBinaryRows jsonb(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int32(bytes.length + 1);
        ensure(1);
        buffer[length++] = JSONB_VERSION;
        put(bytes);
        return this;
    }

    public PgBinaryRows float8(double value) {
        int32(8);
        int64(Double.doubleToRawLongBits(value));
        return this;
    }

    public PgBinaryRows float8(Double value) {
        return value == null ? nul() : float8(value.doubleValue());
    }

    public PgBinaryRows int2(int value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("not a smallint: " + value);
        }
        int32(2);
        int16(value);
        return this;
    }

    public PgBinaryRows int4(int value) {
        int32(4);
        int32(value);
        return this;
    }

    public PgBinaryRows int8(long value) {
        int32(8);
        int64(value);
        return this;
    }

    /** A {@code timestamptz}: microseconds since 2000-01-01 UTC; a finer instant is truncated to the microsecond. */
    public PgBinaryRows timestamptz(Instant value) {
        if (value == null) {
            return nul();
        }
        int32(8);
        int64(Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000)
                - POSTGRES_EPOCH_MICROS);
        return this;
    }

    /** A one-dimensional {@code text[]} without nulls, lower bound 1. */
    public PgBinaryRows textArray(List<String> values) {
        int lengthAt = length;
        int32(0);
        int start = length;
        int32(values.isEmpty() ? 0 : 1);
        int32(0);
        int32(TEXT_OID);
        if (!values.isEmpty()) {
            int32(values.size());
            int32(1);
            for (String value : values) {
                text(value);
            }
        }
        putInt(lengthAt, length - start);
        return this;
    }

    public PgBinaryRows nul() {
        int32(-1);
        return this;
    }

    public int rows() {
        return rows;
    }

    /** The bytes written so far. */
    public byte[] array() {
        return buffer;
    }

    public int length() {
        return length;
    }

    /** Appends the trailer: no row may follow. */
    public PgBinaryRows finish() {
        int16(-1);
        return this;
    }

    /** Forgets the bytes already sent to the server; rows written next continue the same COPY. */
    public void drained() {
        length = 0;
    }

    /** Starts again with a fresh header, for the next COPY. */
    public void reset() {
        length = 0;
        rows = 0;
        start();
    }

    private void start() {
        put(SIGNATURE);
        int32(0);
        int32(0);
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void int16(int value) {
        ensure(2);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void int32(int value) {
        ensure(4);
        putInt(length, value);
        length += 4;
    }

    private void putInt(int at, int value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }

    private void int64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[length++] = (byte) (value >>> shift);
        }
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
