package dev.ingot.runtime.sample;

/**
 * Partial selection of the m largest values of a float array, by a bounded min-heap over ids:
 * O(n log m) worst case, close to O(n) on logits because most values lose against the heap's root at
 * the first comparison. The order is total and deterministic: larger value first, lower id on ties.
 */
final class TopSelect {
    private TopSelect() {}

    /** True when (va, ia) ranks before (vb, ib): larger value, then lower id. */
    static boolean before(float va, int ia, float vb, int ib) {
        return va > vb || (va == vb && ia < ib);
    }

    /**
     * Writes the ids of the {@code m} best entries of {@code values[0, n)} into {@code out[0, m)}, best first.
     * {@code out} must hold at least {@code m} ints; {@code m} is clamped to n. Returns the number written.
     */
    static int select(float[] values, int n, int m, int[] out) {
        m = Math.min(m, n);
        if (m <= 0) return 0;
        // out[0, size) is a heap whose root is the worst kept entry
        int size = 0;
        for (int i = 0; i < n; i++) {
            float v = values[i];
            if (size < m) {
                out[size] = i;
                siftUp(values, out, size++);
            } else if (before(v, i, values[out[0]], out[0])) {
                out[0] = i;
                siftDown(values, out, 0, size);
            }
        }
        // heap sort in place: repeatedly move the worst to the end, leaving best first
        for (int end = size - 1; end > 0; end--) {
            int t = out[0]; out[0] = out[end]; out[end] = t;
            siftDown(values, out, 0, end);
        }
        return size;
    }

    // "worse" is the heap order: a parent is worse than (ranks after) its children
    private static boolean worse(float[] v, int a, int b) {
        return before(v[b], b, v[a], a);
    }

    private static void siftUp(float[] v, int[] h, int k) {
        int x = h[k];
        while (k > 0) {
            int p = (k - 1) >>> 1;
            if (!worse(v, x, h[p])) break;
            h[k] = h[p];
            k = p;
        }
        h[k] = x;
    }

    private static void siftDown(float[] v, int[] h, int k, int size) {
        int x = h[k];
        while (true) {
            int c = 2 * k + 1;
            if (c >= size) break;
            if (c + 1 < size && worse(v, h[c + 1], h[c])) c++;
            if (!worse(v, h[c], x)) break;
            h[k] = h[c];
            k = c;
        }
        h[k] = x;
    }
}
