package dev.ingot.model.gguf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Little-endian serialisation of GGUF header items into a growable byte array, with range checks:
 * a value that does not fit its declared type (e.g. 300 as UINT8, a Long as FLOAT32) is rejected with
 * an {@link IllegalArgumentException} naming the key, instead of being silently truncated.
 */
final class GgufEncoder {
    private byte[] buf = new byte[1 << 16];
    private int len;

    byte[] toByteArray() { return Arrays.copyOf(buf, len); }

    int size() { return len; }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    void u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
    }

    void u16(int v) {
        u8(v);
        u8(v >>> 8);
    }

    void i32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) buf[len++] = (byte) (v >>> (8 * i));
    }

    void i64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) buf[len++] = (byte) (v >>> (8 * i));
    }

    void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i64(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** Encodes {@code v} as {@code type}; for ARRAY, {@code v} is a {@link GgufArray} or a non-empty list. */
    void value(String key, GgufValueType type, Object v) {
        switch (type) {
            case UINT8 -> u8((int) integer(key, v, 0, 0xFF));
            case INT8 -> u8((int) integer(key, v, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT16 -> u16((int) integer(key, v, 0, 0xFFFF));
            case INT16 -> u16((int) integer(key, v, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT32 -> i32((int) integer(key, v, 0, 0xFFFF_FFFFL));
            case INT32 -> i32((int) integer(key, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            // UINT64 values above 2^63 are carried as negative longs (as the reader returns them).
            case UINT64, INT64 -> i64(integer(key, v, Long.MIN_VALUE, Long.MAX_VALUE));
            case FLOAT32 -> i32(Float.floatToRawIntBits(floating(key, v, Float.class)));
            case FLOAT64 -> i64(Double.doubleToRawLongBits(floating(key, v, Double.class)));
            case BOOL -> u8(cast(key, v, Boolean.class) ? 1 : 0);
            case STRING -> string(cast(key, v, String.class));
            case ARRAY -> array(key, cast(key, v, List.class));
        }
    }

    private void array(String key, List<?> list) {
        GgufValueType et = list instanceof GgufArray a ? a.elementType() : inferElementType(key, list);
        i32(et.id());
        i64(list.size());
        for (int i = 0; i < list.size(); i++) value(key + "[" + i + "]", et, list.get(i));
    }

    /** The GGUF type a plain Java value is written as when the caller does not say. */
    static GgufValueType infer(String key, Object v) {
        return switch (v) {
            case String s -> GgufValueType.STRING;
            case Boolean b -> GgufValueType.BOOL;
            case Integer i -> GgufValueType.INT32;
            case Long l -> GgufValueType.INT64;
            case Float f -> GgufValueType.FLOAT32;
            case Double d -> GgufValueType.FLOAT64;
            case List<?> l -> GgufValueType.ARRAY;
            case null -> throw new IllegalArgumentException("metadata '" + key + "': null value");
            default -> throw new IllegalArgumentException("metadata '" + key + "': cannot write a " + v.getClass().getName());
        };
    }

    private static GgufValueType inferElementType(String key, List<?> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("metadata '" + key + "': empty list has no element type; pass a GgufArray");
        }
        return infer(key, list.getFirst());
    }

    private static long integer(String key, Object v, long min, long max) {
        if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
            throw new IllegalArgumentException("metadata '" + key + "': expected an integer, got " + describe(v));
        }
        long x = ((Number) v).longValue();
        if (x < min || x > max) throw new IllegalArgumentException("metadata '" + key + "': " + x + " is out of range [" + min + ", " + max + "]");
        return x;
    }

    private static <T extends Number> T floating(String key, Object v, Class<T> type) {
        if (!(v instanceof Float || v instanceof Double)) {
            throw new IllegalArgumentException("metadata '" + key + "': expected a " + type.getSimpleName() + ", got " + describe(v));
        }
        Number n = (Number) v;
        return type == Float.class ? type.cast(n.floatValue()) : type.cast(n.doubleValue());
    }

    private static <T> T cast(String key, Object v, Class<T> type) {
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("metadata '" + key + "': expected a " + type.getSimpleName() + ", got " + describe(v));
        }
        return type.cast(v);
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }
}
