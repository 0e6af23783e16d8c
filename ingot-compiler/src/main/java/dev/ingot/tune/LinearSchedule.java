package dev.ingot.tune;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule of the linear (matmul / matvec) family as {@code GroupedLinear} runs it. Text forms:
 * {@code jvm grain=32 tb=all}, {@code native tile=1x8 dtile=4 grain=auto} and, with AMX tiles for calls of 16 or more
 * tokens, {@code native tile=1x8 dtile=4 grain=auto amx}.
 *
 * @param nativeBackend the packed native VNNI kernel ({@code dev.ingot.kernel.nativec}) instead of the JVM one
 * @param grain         chunk size of the worker split: rows (JVM) or 16-row groups (native); 0 = the default formula
 * @param tokenBlock    JVM only: tokens per kernel call inside a chunk (0 = all); native: always 0
 * @param groups        native only: prefill register tile, 16-row groups (PG); JVM: 0
 * @param tokens        native only: prefill register tile, tokens (PT); JVM: 0
 * @param decodeGroups  native only: decode (T = 1) register tile, 16-row groups (DG); JVM: 0
 * @param amx           native only: calls of at least {@code GroupedLinear.AMX_MIN_TOKENS} tokens run on AMX tiles
 */
public record LinearSchedule(boolean nativeBackend, int grain, int tokenBlock, int groups, int tokens, int decodeGroups, boolean amx)
        implements Schedule {
    private static final Pattern JVM = Pattern.compile("jvm grain=(auto|\\d+) tb=(all|\\d+)");
    private static final Pattern NATIVE = Pattern.compile("native tile=(\\d+)x(\\d+) dtile=(\\d+) grain=(auto|\\d+)( amx)?");

    public LinearSchedule {
        if (grain < 0 || tokenBlock < 0) throw new IllegalArgumentException("grain " + grain + " tb " + tokenBlock);
        if (nativeBackend && (groups < 1 || tokens < 1 || decodeGroups < 1 || tokenBlock != 0)) {
            throw new IllegalArgumentException("native schedule " + groups + "x" + tokens + " dtile " + decodeGroups + " tb " + tokenBlock);
        }
        if (!nativeBackend && ((groups | tokens | decodeGroups) != 0 || amx)) throw new IllegalArgumentException("jvm schedule with a native tile or AMX");
    }

    public static LinearSchedule jvm(int grain, int tokenBlock) { return new LinearSchedule(false, grain, tokenBlock, 0, 0, 0, false); }

    public static LinearSchedule nativeTile(int groups, int tokens, int decodeGroups, int grain) {
        return nativeTile(groups, tokens, decodeGroups, grain, false);
    }

    public static LinearSchedule nativeTile(int groups, int tokens, int decodeGroups, int grain, boolean amx) {
        return new LinearSchedule(true, grain, 0, groups, tokens, decodeGroups, amx);
    }

    /** The same schedule on the packed VNNI kernel alone (where AMX is off or absent). */
    public LinearSchedule withoutAmx() { return amx ? nativeTile(groups, tokens, decodeGroups, grain, false) : this; }

    @Override
    public String text() {
        String g = grain == 0 ? "auto" : Integer.toString(grain);
        return nativeBackend ? "native tile=" + groups + "x" + tokens + " dtile=" + decodeGroups + " grain=" + g + (amx ? " amx" : "")
                : "jvm grain=" + g + " tb=" + (tokenBlock == 0 ? "all" : Integer.toString(tokenBlock));
    }

    /** Inverse of {@link #text()}. */
    public static LinearSchedule parse(String s) {
        Matcher m = JVM.matcher(s);
        if (m.matches()) return jvm(num(m.group(1)), num(m.group(2)));
        m = NATIVE.matcher(s);
        if (m.matches()) {
            return nativeTile(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), num(m.group(4)),
                    m.group(5) != null);
        }
        throw new IllegalArgumentException("not a linear schedule: " + s);
    }

    private static int num(String s) { return s.equals("auto") || s.equals("all") ? 0 : Integer.parseInt(s); }

    @Override public String toString() { return text(); }
}
