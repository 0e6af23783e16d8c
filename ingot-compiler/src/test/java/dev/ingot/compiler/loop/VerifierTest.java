package dev.ingot.compiler.loop;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid kernels are rejected with a message naming the problem. */
class VerifierTest {
    private static final Param X = new Param.Arena("x"), W = new Param.Weights("w"), N = new Param.Scalar("n", Param.Type.INT);

    private static Kernel k(Stmt... body) {
        return new Kernel("k", List.of(X, W, N), List.of(body));
    }

    private static Stmt.Loop lanes(Stmt... body) {
        return new Stmt.Loop("i", Index.of(0), Index.v("n"), true, List.of(body));
    }

    @Test
    void storeToWeightsIsRejected() {
        assertThat(Verifier.check(k(lanes(new Stmt.Store("w", Index.v("i"), Expr.c(1)))))).anyMatch(e -> e.contains("non-arena"));
    }

    @Test
    void unknownNamesAreRejected() {
        assertThat(Verifier.check(k(lanes(new Stmt.Store("x", Index.v("j"), Expr.ref("y"))))))
                .anyMatch(e -> e.contains("index variable j")).anyMatch(e -> e.contains("float y"));
    }

    @Test
    void nestedLoopInVectorLoopIsRejected() {
        assertThat(Verifier.check(k(lanes(new Stmt.Loop("j", Index.of(0), Index.of(2), false, List.of())))))
                .anyMatch(e -> e.contains("only let and store"));
    }

    @Test
    void redefinitionIsRejected() {
        assertThat(Verifier.check(k(new Stmt.Let("a", Expr.c(1)), new Stmt.Let("a", Expr.c(2))))).anyMatch(e -> e.contains("redefined"));
    }

    @Test
    void unresolvedCallIsRejected() {
        assertThatThrownBy(() -> Verifier.verify(k(new Stmt.Call(Math.class, "nope", List.of(new Stmt.Arg.Int(Index.of(1)))))))
                .hasMessageContaining("no public static java.lang.Math.nope");
    }

    @Test
    void letScopeEndsWithItsBlock() {
        Stmt loop = new Stmt.Loop("t", Index.of(0), Index.of(2), false, List.of(new Stmt.Let("a", Expr.c(1))));
        assertThat(Verifier.check(k(loop, new Stmt.Let("b", Expr.ref("a"))))).anyMatch(e -> e.contains("float a"));
    }

    @Test
    void stridedLoopIsNotVectorisable() {
        Index two = Index.mul(Index.of(2), Index.v("i"));
        assertThat(Vectorizable.whyNot("i", List.of(new Stmt.Store("x", two, Expr.load("x", Index.v("i")))), null))
                .contains("stride 2");
        // arenas gather/scatter small strides; segments cannot
        assertThat(Vectorizable.whyNot("i", List.of(new Stmt.Store("x", two, Expr.load("x", Index.v("i")))), null, b -> b.equals("x"))).isNull();
        assertThat(Vectorizable.whyNot("i", List.of(new Stmt.Store("x", Index.v("i"), Expr.load("w", two))), null, b -> b.equals("x")))
                .contains("load w");
        assertThat(Vectorizable.whyNot("i", List.of(new Stmt.Store("x", Index.v("i"), Expr.load("w", Index.of(3)))), null)).isNull();
    }

    @Test
    void bindFoldsConstants() {
        Index idx = Index.add(Index.mul(Index.v("t"), Index.v("n")), Index.v("i"));
        assertThat(Printer.index(Rewrites.index(idx, java.util.Map.of("n", 1)))).isEqualTo("t + i");
        assertThat(Printer.index(Rewrites.index(idx, java.util.Map.of("n", 64)))).isEqualTo("(t * 64) + i");
    }
}
