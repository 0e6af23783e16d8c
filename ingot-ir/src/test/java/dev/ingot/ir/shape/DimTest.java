package dev.ingot.ir.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DimTest {
    private static final Dim T = Dim.sym("T");
    private static final Dim S = Dim.sym("S");

    @Test
    void canonicalFormMakesEqualProductsEqual() {
        assertThat(T.times(32).times(64)).isEqualTo(Dim.of(2048).times(T));
        assertThat(T.times(S)).isEqualTo(S.times(T));
        assertThat(T.plus(S).minus(T)).isEqualTo(S);
        assertThat(T.times(2048).div(64)).isEqualTo(T.times(32));
        assertThat(T.times(S).times(4).div(S.times(2))).isEqualTo(T.times(2));
        assertThat(T.plus(1).times(T.minus(1))).isEqualTo(T.times(T).minus(1));
        assertThat(T.minus(T)).isEqualTo(Dim.of(0));
    }

    @Test
    void printsCanonically() {
        assertThat(T.times(32).toString()).isEqualTo("32*T");
        assertThat(S.times(Dim.sym("B")).plus(1).toString()).isEqualTo("B*S + 1");
        assertThat(T.minus(3).toString()).isEqualTo("T - 3");
        assertThat(T.times(6).div(4).toString()).isEqualTo("(3*T)/2");
        assertThat(Dim.sym("batch size").toString()).isEqualTo("'batch size'");
    }

    @Test
    void inexactQuotientStaysOpaqueAndIsCheckedWhenEvaluated() {
        Dim half = T.div(2);
        assertThat(half.isConstant()).isFalse();
        assertThat(half.times(2)).isNotEqualTo(T); // not simplified: quotient is an atom
        assertThat(T.times(6).div(4)).isEqualTo(T.times(3).div(2));
        assertThat(half.eval(Map.of("T", 10L))).isEqualTo(5);
        assertThatThrownBy(() -> half.eval(Map.of("T", 7L))).hasMessageContaining("not exact");
    }

    @Test
    void unboundSymbolFailsWithItsName() {
        assertThatThrownBy(() -> T.plus(S).eval(Map.of("T", 1L))).hasMessageContaining("'S'");
    }

    @Test
    void symbolQueries() {
        assertThat(T.isSymbol()).isTrue();
        assertThat(T.times(2).isSymbol()).isFalse();
        assertThat(T.symbolName()).isEqualTo("T");
        assertThat(T.times(S).plus(Dim.sym("B")).symbols()).containsExactly("B", "S", "T");
        assertThat(Dim.of(7).constant()).isEqualTo(7);
    }

    @Property(tries = 200)
    void evaluationIsARingHomomorphism(@ForAll @LongRange(min = -50, max = 50) long t, @ForAll @LongRange(min = -50, max = 50) long s,
                                       @ForAll @LongRange(min = 1, max = 9) long c) {
        Map<String, Long> b = Map.of("T", t, "S", s);
        Dim e = T.times(S).plus(T.times(c)).minus(S).plus(c);
        assertThat(e.eval(b)).isEqualTo(t * s + t * c - s + c);
        assertThat(e.times(c).div(c)).isEqualTo(e);
        assertThat(T.times(c * 3).div(3).eval(b)).isEqualTo(t * c);
    }

    @Test
    void shapeBroadcastAndNumel() {
        Shape a = Shape.of("T", 1, 64);
        Shape b = Shape.of(32, 64);
        assertThat(Shape.broadcast(a, b)).isEqualTo(Shape.of("T", 32, 64));
        assertThat(Shape.of("T", 32, 64).numel()).isEqualTo(T.times(2048));
        assertThatThrownBy(() -> Shape.broadcast(Shape.of("T"), Shape.of("S"))).hasMessageContaining("do not broadcast");
        assertThat(Shape.of("T", 4).eval(Map.of("T", 3L))).containsExactly(3, 4);
    }
}
