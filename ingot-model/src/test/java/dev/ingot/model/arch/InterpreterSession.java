package dev.ingot.model.arch;

import static dev.ingot.model.arch.ForwardSignature.*;

import dev.ingot.ir.Graph;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.tensor.DType;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one sequence through a forward graph on the reference interpreter, with a KV cache of {@code nBlocks}
 * blocks mapped in order (block i holds positions [i*BS, (i+1)*BS)). Test support only.
 */
final class InterpreterSession {
    private final Graph graph;
    private final Map<String, Tensor> caches = new HashMap<>();
    private final int blockSize;
    private final int nBlocks;
    private int pos;

    InterpreterSession(Graph graph, int nLayer, int blockSize, int nBlocks, int nKv, int headDim) {
        this.graph = graph;
        this.blockSize = blockSize;
        this.nBlocks = nBlocks;
        for (int l = 0; l < nLayer; l++) {
            caches.put(kCache(l), Tensor.zeros(DType.F32, nBlocks, blockSize, nKv, headDim));
            caches.put(vCache(l), Tensor.zeros(DType.F32, nBlocks, blockSize, nKv, headDim));
        }
    }

    /** Feeds {@code tokens} at the next positions; returns logits [tokens.length, V] (every row when allRows). */
    float[] feed(int[] tokens, boolean allRows) {
        int t = tokens.length;
        if (pos + t > nBlocks * blockSize) throw new IllegalStateException("KV cache full");
        int[] positions = new int[t], seq = new int[t], slots = new int[t];
        for (int i = 0; i < t; i++) {
            positions[i] = pos + i;
            slots[i] = pos + i; // blocks are mapped in order, so slot == position
        }
        int[] table = new int[nBlocks];
        for (int i = 0; i < nBlocks; i++) table[i] = i;
        int[] rows = allRows ? new int[t] : new int[] {t - 1};
        if (allRows) for (int i = 0; i < t; i++) rows[i] = i;
        Map<String, Tensor> in = new HashMap<>(caches);
        in.put(TOKENS, Tensor.i32(tokens.clone(), t));
        in.put(POSITIONS, Tensor.i32(positions, t));
        in.put(TOKEN_SEQ, Tensor.i32(seq, t));
        in.put(BLOCK_TABLES, Tensor.i32(table, 1, nBlocks));
        in.put(SEQ_LENS, Tensor.i32(new int[] {pos + t}, 1));
        in.put(SLOTS, Tensor.i32(slots, t));
        in.put(LOGIT_ROWS, Tensor.i32(rows, rows.length));
        Tensor logits = Interpreter.run(graph, in).output(0);
        pos += t;
        return logits.floats();
    }
}
