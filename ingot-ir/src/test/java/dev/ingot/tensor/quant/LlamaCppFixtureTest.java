package dev.ingot.tensor.quant;

import dev.ingot.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-exact comparison with outputs of llama.cpp's reference code for the formats the shared model files
 * do not cover (provenance in {@code src/test/resources/dev/ingot/tensor/quant/llamacpp/README.md}).
 */
class LlamaCppFixtureTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = LlamaCppFixtureTest.class.getResourceAsStream("llamacpp/" + name)) {
            if (in == null) throw new AssertionError("missing test resource llamacpp/" + name);
            return in.readAllBytes();
        }
    }

    static float[] floats(byte[] b) {
        float[] x = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
        return x;
    }

    @ParameterizedTest
    @ValueSource(strings = {"q4_1", "q5_0", "q5_1", "q8_1", "q2_K", "q3_K", "q5_K"})
    void quantiseMatchesLlamaCpp(String name) throws IOException {
        DType t = DType.valueOf(name.toUpperCase());
        float[] x = floats(resource("input.f32"));
        byte[] want = resource(name + ".bin");
        byte[] got = Quantize.all(t, x);
        int first = Arrays.mismatch(want, got);
        assertThat(first).as("%s: first differing byte %d (block %d)", t, first, first / t.blockBytes()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"q2_K", "q3_K", "q5_K"})
    void dequantiseMatchesLlamaCpp(String name) throws IOException {
        DType t = DType.valueOf(name.toUpperCase());
        byte[] q = resource(name + ".bin");
        float[] want = floats(resource("dq_" + name + ".f32"));
        float[] got = new float[want.length];
        Dequant.row(t, q, 0, got, 0, want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat(Float.floatToRawIntBits(got[i])).as("%s element %d: %s vs llama.cpp %s", t, i, got[i], want[i])
                    .isEqualTo(Float.floatToRawIntBits(want[i]));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q6_K"})
    void dotProductsMatchLlamaCppGeneric(String name) throws IOException {
        DType t = DType.valueOf(name);
        String base = "dot_" + name.toLowerCase();
        byte[] w = resource(base + "_w.bin"), x = resource(base + "_x.bin");
        String[] want = new String(resource(base + ".txt"), java.nio.charset.StandardCharsets.US_ASCII).strip().split("\\s+");
        int n = 1024, rb = Math.toIntExact(t.rowBytes(n));
        assertThat(want).hasSize(w.length / rb);
        for (int row = 0; row < want.length; row++) {
            float got = VecDot.dot(t, w, row * rb, x, n);
            assertThat(Integer.toHexString(Float.floatToRawIntBits(got))).as("%s row %d: %s", t, row, got)
                    .isEqualTo(Integer.toHexString(Integer.parseUnsignedInt(want[row], 16)));
        }
    }
}
