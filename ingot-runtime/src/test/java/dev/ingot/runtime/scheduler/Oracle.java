package dev.ingot.runtime.scheduler;

import java.util.ArrayList;
import java.util.List;

/** The outputs {@link FakeModelRunner} must produce, computed one request at a time without any cache. */
final class Oracle {
    record Result(List<Integer> tokens, FinishReason reason) {}

    static Result expected(FakeModelRunner runner, NewRequest r, int sampleIndex, int maxModelLen) {
        long h = FakeModelRunner.INIT;
        for (int t : r.promptTokenIds()) h = FakeModelRunner.mix(h, t);
        int numTokens = r.promptTokenIds().length;
        List<Integer> out = new ArrayList<>();
        while (true) {
            int t = runner.sample(r.requestId(), sampleIndex, h);
            out.add(t);
            numTokens++;
            if (runner.isStop(t)) return new Result(out, FinishReason.STOP);
            if (out.size() >= r.maxTokens() || numTokens >= maxModelLen) return new Result(out, FinishReason.LENGTH);
            h = FakeModelRunner.mix(h, t);
        }
    }
}
