package dev.ingot.compiler.graphexec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.compiler.loop.Expr;
import dev.ingot.compiler.loop.Index;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Param;
import dev.ingot.compiler.loop.Stmt;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which loop IR {@link RowSplit} accepts: row-affine arena accesses only; broadcasts over t or symbol-strided rows are refused. */
class RowSplitTest {
    private static final Index T = Index.v("t"), I = Index.v("i");

    /** for t in 0..B*S { for i in 0..W vector { out[t*W + i] = x[t*W + i] + bias[i] (+ extra) } } */
    private static Kernel kernel(Index xIdx, Index rowsBound) {
        Stmt body = new Stmt.Store("out", Index.add(Index.mul(T, Index.of(384)), I),
                Expr.add(Expr.load("x", xIdx), Expr.load("bias", I)));
        return new Kernel("k", List.of(new Param.Arena("x"), new Param.Weights("bias"), new Param.Arena("out"),
                new Param.Scalar("d_B", Param.Type.INT), new Param.Scalar("d_S", Param.Type.INT)),
                List.of(new Stmt.Loop("t", Index.of(0), rowsBound, false,
                        List.of(new Stmt.Loop("i", Index.of(0), Index.of(384), true, List.of(body))))));
    }

    @Test
    void rowAffineKernelSplits() {
        RowSplit s = RowSplit.of(kernel(Index.add(Index.mul(T, Index.of(384)), I), Index.mul(Index.v("d_B"), Index.v("d_S"))));
        assertThat(s).isNotNull();
        assertThat(s.rowStride()).containsExactly(384, 0, 384, 0, 0);
        assertThat(s.boundSymbols()).containsExactly(3, 4);
        assertThat(s.rowFloats()).isEqualTo(384);
    }

    @Test
    void refusesWhatRowsCannotShift() {
        // x broadcast over rows by a symbol stride (t / S): not affine in t
        assertThat(RowSplit.of(kernel(Index.add(Index.mul(Index.div(T, Index.v("d_S")), Index.of(384)), I),
                Index.mul(Index.v("d_B"), Index.v("d_S"))))).isNull();
        // row stride given by a symbol: shifting offsets would need the symbol's value
        assertThat(RowSplit.of(kernel(Index.add(Index.mul(T, Index.v("d_S")), I), Index.mul(Index.v("d_B"), Index.v("d_S"))))).isNull();
        // a bound that is not a product of symbols
        assertThat(RowSplit.of(kernel(Index.add(Index.mul(T, Index.of(384)), I), Index.of(16)))).isNull();
    }
}
