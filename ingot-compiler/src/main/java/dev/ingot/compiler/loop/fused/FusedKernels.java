package dev.ingot.compiler.loop.fused;

import dev.ingot.compiler.loop.Expr;
import dev.ingot.compiler.loop.Index;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Param;
import dev.ingot.compiler.loop.Stmt;

import java.util.List;

import static dev.ingot.compiler.loop.Expr.UOp;

/** Loop IR builders for fused row kernels. All buffers are {@code [T, n]} unless stated. */
public final class FusedKernels {
    private FusedKernels() {}

    private static final Index T = Index.v("T"), N = Index.v("n"), I = Index.v("i");
    /** Element {@code i} of row {@code t}: {@code t * n + i}. */
    private static final Index TI = Index.add(Index.mul(Index.v("t"), N), I);

    private static Param arena(String n) { return new Param.Arena(n); }

    private static Param weights(String n) { return new Param.Weights(n); }

    private static Param intP(String n) { return new Param.Scalar(n, Param.Type.INT); }

    private static Param floatP(String n) { return new Param.Scalar(n, Param.Type.FLOAT); }

    private static Expr row(String buf) { return Expr.load(buf, TI); }

    private static Stmt.Loop rows(Stmt... body) {
        return new Stmt.Loop("t", Index.of(0), T, false, List.of(body));
    }

    private static Stmt.Loop lanes(Stmt... body) {
        return new Stmt.Loop("i", Index.of(0), N, true, List.of(body));
    }

    /** {@code inv = 1 / sqrt(ss / n + eps)}, then {@code out = x * inv * w}, as llama.cpp's rms_norm + mul. */
    private static List<Stmt> normalise(String src, String out) {
        return List.of(
                new Stmt.Let("inv", Expr.un(UOp.RSQRT, Expr.add(Expr.div(Expr.ref("ss"), new Expr.ToFloat(N)), Expr.ref("eps")))),
                lanes(new Stmt.Store(out, TI, Expr.mul(Expr.mul(row(src), Expr.ref("inv")), Expr.load("w", I)))));
    }

    /** RMSNorm with weight: x, out {@code [T, n]}, w {@code [n]}. Two passes over a row: sum of squares, scale. */
    public static Kernel rmsNorm() {
        Stmt.Reduce ss = new Stmt.Reduce("ss", Stmt.Kind.SUMSQ, "i", Index.of(0), N, true, List.of(), row("x"));
        List<Stmt> body = new java.util.ArrayList<>(List.of(ss));
        body.addAll(normalise("x", "out"));
        return new Kernel("rms_norm", List.of(arena("x"), weights("w"), arena("out"), intP("T"), intP("n"), floatP("eps")),
                List.of(new Stmt.Loop("t", Index.of(0), T, false, body)));
    }

    /**
     * Residual add + RMSNorm: {@code h = x + r} is stored (the new residual stream) and squared-summed in the
     * same pass; the second pass writes {@code out = h * inv * w}.
     */
    public static Kernel addRmsNorm() {
        Stmt.Reduce ss = new Stmt.Reduce("ss", Stmt.Kind.SUMSQ, "i", Index.of(0), N, true,
                List.of(new Stmt.Let("s", Expr.add(row("x"), row("r"))), new Stmt.Store("h", TI, Expr.ref("s"))),
                Expr.ref("s"));
        List<Stmt> body = new java.util.ArrayList<>(List.of(ss));
        body.addAll(normalise("h", "out"));
        return new Kernel("add_rms_norm", List.of(arena("x"), arena("r"), weights("w"), arena("h"), arena("out"),
                intP("T"), intP("n"), floatP("eps")), List.of(new Stmt.Loop("t", Index.of(0), T, false, body)));
    }

    /** SwiGLU: {@code out = silu(gate) * up}. */
    public static Kernel swiglu() {
        return new Kernel("swiglu", List.of(arena("gate"), arena("up"), arena("out"), intP("T"), intP("n")),
                List.of(rows(lanes(new Stmt.Store("out", TI, Expr.mul(Expr.un(UOp.SILU, row("gate")), row("up")))))));
    }

    /** Bias add: {@code out = x + b}, b {@code [n]}. */
    public static Kernel biasAdd() {
        return new Kernel("bias_add", List.of(arena("x"), weights("b"), arena("out"), intP("T"), intP("n")),
                List.of(rows(lanes(new Stmt.Store("out", TI, Expr.add(row("x"), Expr.load("b", I)))))));
    }

    /** GELU, tanh form: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    public static Kernel geluTanh() {
        Expr x = row("x");
        Expr inner = Expr.mul(Expr.c((float) Math.sqrt(2 / Math.PI)),
                Expr.fma(Expr.mul(Expr.c(0.044715f), Expr.mul(x, x)), x, x));
        Expr y = Expr.mul(Expr.mul(Expr.c(0.5f), x), Expr.add(Expr.c(1f), Expr.un(UOp.TANH, inner)));
        return new Kernel("gelu_tanh", List.of(arena("x"), arena("out"), intP("T"), intP("n")),
                List.of(rows(lanes(new Stmt.Store("out", TI, y)))));
    }

    /** GELU, erf form: {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    public static Kernel geluErf() {
        Expr x = row("x");
        Expr y = Expr.mul(Expr.mul(Expr.c(0.5f), x),
                Expr.add(Expr.c(1f), Expr.un(UOp.ERF, Expr.mul(x, Expr.c((float) (1 / Math.sqrt(2)))))));
        return new Kernel("gelu_erf", List.of(arena("x"), arena("out"), intP("T"), intP("n")),
                List.of(rows(lanes(new Stmt.Store("out", TI, y)))));
    }

    /**
     * Softmax over each row of {@code scale * x}: max pass, exp-and-sum pass (stores the exponentials),
     * normalise pass. Subtracting the row max keeps exp from overflowing.
     */
    public static Kernel softmax() {
        Expr sx = Expr.mul(row("x"), Expr.ref("scale"));
        return new Kernel("softmax", List.of(arena("x"), arena("out"), intP("T"), intP("n"), floatP("scale")),
                List.of(rows(
                        new Stmt.Reduce("m", Stmt.Kind.MAX, "i", Index.of(0), N, true, List.of(), sx),
                        new Stmt.Reduce("sum", Stmt.Kind.SUM, "i", Index.of(0), N, true,
                                List.of(new Stmt.Let("e", Expr.un(UOp.EXP, Expr.sub(sx, Expr.ref("m")))),
                                        new Stmt.Store("out", TI, Expr.ref("e"))),
                                Expr.ref("e")),
                        new Stmt.Let("inv", Expr.un(UOp.RECIP, Expr.ref("sum"))),
                        lanes(new Stmt.Store("out", TI, Expr.mul(row("out"), Expr.ref("inv")))))));
    }

    /**
     * FFN front half: {@code gate = x·Wg^T, up = x·Wu^T} by the kernel library's linear for {@code dtype}
     * (quantised weights stay quantised), then {@code out = silu(gate) * up} in one vector pass.
     * x {@code [T, K]}; g, u, out {@code [T, n]} (g and u are scratch); n = N rows of the weights.
     */
    public static Kernel linearSwiglu(dev.ingot.tensor.DType dtype) {
        Index k = Index.v("K");
        List<Stmt.Arg> gate = List.of(new Stmt.Arg.Int(Index.of(dtype.ggmlId())), new Stmt.Arg.Buf("wg", Index.of(0)),
                new Stmt.Arg.Int(N), new Stmt.Arg.Int(k), new Stmt.Arg.Buf("x", Index.of(0)), new Stmt.Arg.Buf("g", Index.of(0)),
                new Stmt.Arg.Int(T));
        List<Stmt.Arg> up = List.of(new Stmt.Arg.Int(Index.of(dtype.ggmlId())), new Stmt.Arg.Buf("wu", Index.of(0)),
                new Stmt.Arg.Int(N), new Stmt.Arg.Int(k), new Stmt.Arg.Buf("x", Index.of(0)), new Stmt.Arg.Buf("u", Index.of(0)),
                new Stmt.Arg.Int(T));
        Class<?> lib = dev.ingot.codegen.jvm.LibraryCalls.class;
        return new Kernel("linear_swiglu_" + dtype.name().toLowerCase(java.util.Locale.ROOT),
                List.of(arena("x"), weights("wg"), weights("wu"), arena("g"), arena("u"), arena("out"), intP("T"), intP("n"), intP("K")),
                List.of(new Stmt.Call(lib, "linear", gate), new Stmt.Call(lib, "linear", up),
                        rows(lanes(new Stmt.Store("out", TI, Expr.mul(Expr.un(UOp.SILU, row("g")), row("u")))))));
    }
}
