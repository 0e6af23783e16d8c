package dev.ingot.compiler.loop.fused;

import dev.ingot.compiler.loop.Expr;
import dev.ingot.compiler.loop.Index;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Param;
import dev.ingot.compiler.loop.Stmt;

import java.util.ArrayList;
import java.util.List;

/**
 * Rotary position embedding over {@code x, out [T, H, D]} with positions {@code pos [T]} (ints).
 * Pair {@code j} of a head ({@code 0 <= j < D/2}) is rotated by {@code theta = pos * invFreq[j]}:
 * NEOX pairs {@code (j, j + D/2)} (contiguous halves, vectorises), NORM pairs {@code (2j, 2j+1)}
 * (stride 2: the code generator gathers and scatters with an index map). cos/sin come either computed from {@code invFreq [D/2]}
 * (see {@link #invFreq}) or from precomputed tables {@code cos, sin [maxPos, D/2]}.
 */
public final class Rope {
    private Rope() {}

    public enum Style { NORM, NEOX }

    /** llama3 frequency scaling (rope_scaling.rope_type = "llama3"). */
    public record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalContext) {}

    /**
     * {@code invFreq[j] = base^(-2j/D)}, adjusted per llama3: wavelengths longer than
     * {@code originalContext / lowFreqFactor} are divided by {@code factor}, shorter than
     * {@code originalContext / highFreqFactor} kept, and the band between interpolated.
     */
    public static float[] invFreq(int headDim, double base, Llama3 llama3) {
        float[] f = new float[headDim / 2];
        for (int j = 0; j < f.length; j++) {
            double freq = Math.pow(base, -2.0 * j / headDim);
            if (llama3 != null) {
                double wavelen = 2 * Math.PI / freq;
                double lowWavelen = llama3.originalContext() / llama3.lowFreqFactor();
                double highWavelen = llama3.originalContext() / llama3.highFreqFactor();
                if (wavelen > lowWavelen) {
                    freq = freq / llama3.factor();
                } else if (wavelen >= highWavelen) {
                    double smooth = (llama3.originalContext() / wavelen - llama3.lowFreqFactor())
                            / (llama3.highFreqFactor() - llama3.lowFreqFactor());
                    freq = (1 - smooth) * freq / llama3.factor() + smooth * freq;
                }
            }
            f[j] = (float) freq;
        }
        return f;
    }

    /** Kernel with cos/sin computed from {@code invFreq}: params x, pos, invFreq, out, T, H, D. */
    public static Kernel computed(Style style) {
        return build("rope_" + style.name().toLowerCase(java.util.Locale.ROOT), style, false);
    }

    /** Kernel with cos/sin read from tables: params x, pos, cos, sin, out, T, H, D. */
    public static Kernel table(Style style) {
        return build("rope_" + style.name().toLowerCase(java.util.Locale.ROOT) + "_table", style, true);
    }

    private static Kernel build(String name, Style style, boolean table) {
        Index d = Index.v("D"), half = Index.div(d, Index.of(2)), j = Index.v("j");
        Index base = Index.mul(Index.add(Index.mul(Index.v("t"), Index.v("H")), Index.v("h")), d);
        Index ia = style == Style.NEOX ? Index.add(base, j) : Index.add(base, Index.mul(Index.of(2), j));
        Index ib = style == Style.NEOX ? Index.add(ia, half) : Index.add(ia, Index.of(1));
        Index p = new Index.Load("pos", Index.v("t"));
        List<Stmt> pair = new ArrayList<>();
        if (table) {
            Index at = Index.add(Index.mul(p, half), j);
            pair.add(new Stmt.Let("c", Expr.load("cos", at)));
            pair.add(new Stmt.Let("s", Expr.load("sin", at)));
        } else {
            pair.add(new Stmt.Let("theta", Expr.mul(new Expr.ToFloat(p), Expr.load("freq", j))));
            pair.add(new Stmt.Let("c", Expr.un(Expr.UOp.COS, Expr.ref("theta"))));
            pair.add(new Stmt.Let("s", Expr.un(Expr.UOp.SIN, Expr.ref("theta"))));
        }
        pair.add(new Stmt.Let("a", Expr.load("x", ia)));
        pair.add(new Stmt.Let("b", Expr.load("x", ib)));
        Expr a = Expr.ref("a"), b = Expr.ref("b"), c = Expr.ref("c"), s = Expr.ref("s");
        // (a, b) -> (a cos - b sin, a sin + b cos); both loaded before either store, so out may alias x.
        pair.add(new Stmt.Store("out", ia, Expr.sub(Expr.mul(a, c), Expr.mul(b, s))));
        pair.add(new Stmt.Store("out", ib, Expr.fma(a, s, Expr.mul(b, c))));
        Stmt body = new Stmt.Loop("t", Index.of(0), Index.v("T"), false, List.of(
                new Stmt.Loop("h", Index.of(0), Index.v("H"), false, List.of(
                        new Stmt.Loop("j", Index.of(0), half, true, pair)))));
        List<Param> params = new ArrayList<>(List.of(new Param.Arena("x"), new Param.Ints("pos")));
        if (table) {
            params.add(new Param.Weights("cos"));
            params.add(new Param.Weights("sin"));
        } else {
            params.add(new Param.Weights("freq"));
        }
        params.add(new Param.Arena("out"));
        for (String dim : List.of("T", "H", "D")) params.add(new Param.Scalar(dim, Param.Type.INT));
        return new Kernel(name, params, List.of(body));
    }
}
