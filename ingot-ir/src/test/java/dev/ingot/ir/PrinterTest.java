package dev.ingot.ir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterTest {
    /** A one-layer attention block over T tokens: the golden text below must not change silently. */
    static Graph tinyBlock() {
        GraphBuilder b = new GraphBuilder();
        Value ids = b.input("tokens", DType.I32, "T");
        Value pos = b.input("positions", DType.I32, "T");
        Value slots = b.input("slots", DType.I32, "T");
        Value kc = b.input("k_cache.0", DType.F32, 4, 16, 1, 8);
        Value emb = b.weight("token_embd.weight", DType.F16, Shape.of(10, 16), MemorySegment.ofArray(new byte[320]));
        Value norm = b.weight("blk.0.attn_norm.weight", DType.F32, Shape.of(16), MemorySegment.ofArray(new byte[64]));
        Value wk = b.weight("blk.0.attn_k.weight", DType.Q8_0, Shape.of(8, 32), MemorySegment.ofArray(new byte[8 * 34]));
        Value x = b.embedding(emb, ids, "inp_embd");
        Value h = b.rmsNorm(x, norm, 1e-5f, "attn_norm.0");
        Value h2 = b.reshape(b.concat(List.of(h, h), 1, null), Shape.of("T", 1, 32), null);
        Value k = b.linear(h2, wk, "blk.0.k");
        Value kr = b.rope(k, pos, null, RopeMode.NEOX, 8, 10000f, "blk.0.k_rope");
        Value kc2 = b.kvWrite(kc, kr, slots, "k_cache.0'");
        Value two = b.constant(new long[] {1, 2}, DType.I64, Shape.of(2), null);
        return b.output(kc2, two).build();
    }

    @Test
    void goldenText() {
        assertThat(Printer.print(tinyBlock())).isEqualTo("""
                graph {
                  %0 = input : i32[T]  # tokens
                  %1 = input : i32[T]  # positions
                  %2 = input : i32[T]  # slots
                  %3 = input : f32[4, 16, 1, 8]  # k_cache.0
                  @token_embd.weight = weight : f16[10, 16]
                  @blk.0.attn_norm.weight = weight : f32[16]
                  @blk.0.attn_k.weight = weight : q8_0[8, 32]
                  %7 = embedding(@token_embd.weight, %0) : f32[T, 16]  # inp_embd
                  %8 = rms_norm(%7, @blk.0.attn_norm.weight) {eps=1e-05} : f32[T, 16]  # attn_norm.0
                  %9 = concat(%8, %8) {axis=1} : f32[T, 32]
                  %10 = reshape(%9) {to=[T, 1, 32]} : f32[T, 1, 32]
                  %11 = linear(%10, @blk.0.attn_k.weight) : f32[T, 1, 8]  # blk.0.k
                  %12 = rope(%11, %1) {mode=neox, rot_dim=8, base=10000.0} : f32[T, 1, 8]  # blk.0.k_rope
                  %13 = kv_write(%3, %12, %2) : f32[4, 16, 1, 8]  # k_cache.0'
                  %14 = constant {values=[1, 2]} : i64[2]
                  return %13, %14
                }
                """);
    }

    @Test
    void summaryCountsOpsAndWeightBytes() {
        assertThat(Printer.summary(tinyBlock())).isEqualTo("""
                15 nodes, 4 inputs, 3 weights (656 bytes: {f16=320, f32=64, q8_0=272}), 2 outputs; symbols [T]
                ops: embedding:1 rms_norm:1 concat:1 reshape:1 linear:1 rope:1 kv_write:1""");
    }

    @Test
    void printingIsDeterministicAcrossBuilds() {
        assertThat(Printer.print(tinyBlock())).isEqualTo(Printer.print(tinyBlock()));
    }

    @Test
    void floatsPrintLikePrintf() {
        assertThat(Printer.formatFloat(1e-5f)).isEqualTo("1e-05");
        assertThat(Printer.formatFloat(1e-6f)).isEqualTo("1e-06");
        assertThat(Printer.formatFloat(0.125f)).isEqualTo("0.125");
        assertThat(Printer.formatFloat(1.5e10)).isEqualTo("1.5e+10");
    }
}
