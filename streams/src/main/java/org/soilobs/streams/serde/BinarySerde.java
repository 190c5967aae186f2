package org.soilobs.streams.serde;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary format for what the streams jobs keep to themselves: state stores, their changelogs and
 * repartition topics. Public topics stay JSON ({@link JsonSerde}, {@link DecodingSerde}).
 *
 * <p>Why not JSON here: every store access of the DSL (de)serialises the whole value — the record cache holds
 * bytes — and profiling showed JSON (number formatting, ISO 8601 times, reflection) taking most of both jobs'
 * time. The format is a version byte followed by the fields in a fixed order; enums travel by their wire id
 * so that adding a constant never changes the meaning of stored bytes. A changed layout needs a new version
 * byte or an application reset.
 *
 * @param <T> the type written; {@link Codec} says how
 */
public final class BinarySerde<T> implements Serde<T> {

    static final byte VERSION = 1;

    /** How one type is laid out. */
    public interface Codec<T> {
        void write(Out out, T value);

        T read(In in);
    }

    private final String name;
    private final Codec<T> codec;

    private BinarySerde(String name, Codec<T> codec) {
        this.name = name;
        this.codec = codec;
    }

    public static <T> BinarySerde<T> of(String name, Codec<T> codec) {
        return new BinarySerde<>(name, codec);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            Out out = new Out();
            out.writeByte(VERSION);
            codec.write(out, value);
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                In in = new In(bytes);
                byte version = in.readByte();
                if (version != VERSION) {
                    throw new SerializationException("cannot read " + name + " of format " + version + " from " + topic);
                }
                T value = codec.read(in);
                if (in.remaining() != 0) {
                    throw new SerializationException(in.remaining() + " bytes left after " + name + " from " + topic);
                }
                return value;
            } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException | NullPointerException e) {
                throw new SerializationException("cannot read " + name + " from " + topic, e);
            }
        };
    }

    /** A growing byte array; lengths and counts are unsigned varints. */
    public static final class Out {
        private byte[] buffer = new byte[128];
        private int size;

        public void writeByte(int b) {
            ensure(1);
            buffer[size++] = (byte) b;
        }

        public void writeBoolean(boolean b) {
            writeByte(b ? 1 : 0);
        }

        public void writeVarLong(long value) {
            ensure(10);
            long v = value;
            while ((v & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[size++] = (byte) v;
        }

        public void writeInt(int value) {
            writeVarLong(((long) value << 1) ^ (value >> 31));
        }

        public void writeLong(long value) {
            writeVarLong((value << 1) ^ (value >> 63));
        }

        public void writeDouble(double value) {
            ensure(8);
            long bits = Double.doubleToRawLongBits(value);
            for (int i = 0; i < 8; i++) {
                buffer[size++] = (byte) (bits >>> (8 * i));
            }
        }

        public void writeNullableDouble(Double value) {
            writeBoolean(value != null);
            if (value != null) {
                writeDouble(value);
            }
        }

        public void writeString(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            writeVarLong(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buffer, size, utf8.length);
            size += utf8.length;
        }

        public void writeStrings(List<String> values) {
            writeVarLong(values.size());
            values.forEach(this::writeString);
        }

        /** Seconds and nanoseconds: sensor clocks can say anything, including instants no long of millis holds. */
        public void writeInstant(Instant value) {
            writeLong(value.getEpochSecond());
            writeVarLong(value.getNano());
        }

        public void writeNullableInstant(Instant value) {
            writeBoolean(value != null);
            if (value != null) {
                writeInstant(value);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }

    /** Reads what {@link Out} wrote, in the same order. */
    public static final class In {
        private final byte[] bytes;
        private int position;

        In(byte[] bytes) {
            this.bytes = bytes;
        }

        public byte readByte() {
            return bytes[position++];
        }

        public boolean readBoolean() {
            return readByte() != 0;
        }

        public long readVarLong() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = bytes[position++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes");
        }

        public int readInt() {
            long zigzag = readVarLong();
            return (int) ((zigzag >>> 1) ^ -(zigzag & 1));
        }

        public long readLong() {
            long zigzag = readVarLong();
            return (zigzag >>> 1) ^ -(zigzag & 1);
        }

        public double readDouble() {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits |= (bytes[position++] & 0xFFL) << (8 * i);
            }
            return Double.longBitsToDouble(bits);
        }

        public Double readNullableDouble() {
            return readBoolean() ? readDouble() : null;
        }

        public String readString() {
            int length = count();
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        public List<String> readStrings() {
            int n = count();
            List<String> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(readString());
            }
            return values;
        }

        public Instant readInstant() {
            return Instant.ofEpochSecond(readLong(), readVarLong());
        }

        public Instant readNullableInstant() {
            return readBoolean() ? readInstant() : null;
        }

        /** A length or count, checked against what is left so that corrupt bytes cannot ask for a huge array. */
        public int count() {
            long n = readVarLong();
            if (n < 0 || n > remaining()) {
                throw new IllegalArgumentException("count " + n + " beyond the " + remaining() + " bytes left");
            }
            return (int) n;
        }

        int remaining() {
            return bytes.length - position;
        }
    }
}
