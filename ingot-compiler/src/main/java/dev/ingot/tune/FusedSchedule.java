package dev.ingot.tune;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule of a fused row kernel (rms_norm, add_rms_norm, swiglu, add) as {@code FusedCall} runs it. Text
 * forms: {@code rows serial} (every row on the calling thread: what programs did before this space existed)
 * and {@code rows grain=8} (rows split over the worker pool in claims of 8).
 *
 * @param grain rows per claim of the worker split; 0 = serial
 */
public record FusedSchedule(int grain) implements Schedule {
    public static final FusedSchedule SERIAL = new FusedSchedule(0);
    private static final Pattern TEXT = Pattern.compile("rows (?:serial|grain=(\\d+))");

    public FusedSchedule {
        if (grain < 0) throw new IllegalArgumentException("grain " + grain);
    }

    @Override public String text() { return grain == 0 ? "rows serial" : "rows grain=" + grain; }

    /** Inverse of {@link #text()}. */
    public static FusedSchedule parse(String s) {
        Matcher m = TEXT.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("not a fused schedule: " + s);
        if (m.group(1) == null) return SERIAL;
        int g = Integer.parseInt(m.group(1));
        if (g == 0) throw new IllegalArgumentException("grain=0 is written 'rows serial': " + s);
        return new FusedSchedule(g);
    }

    @Override public String toString() { return text(); }
}
