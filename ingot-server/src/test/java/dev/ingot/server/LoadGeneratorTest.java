package dev.ingot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.server.bench.LoadGenerator;
import dev.ingot.server.bench.LoadResult;
import dev.ingot.server.bench.Workload;
import org.junit.jupiter.api.Test;

/** The load generator against a live server: a workload runs, and the server's compile count is read from /metrics. */
class LoadGeneratorTest {
    @Test
    void runsAWorkloadAndReadsTheCompileCount() throws Exception {
        try (TestServer srv = new TestServer(); LoadGenerator gen = new LoadGenerator(srv.base(), TestServer.MODEL, TestServer.KEY)) {
            LoadResult r = gen.run(Workload.random(4, 0, 8, 4, 512, 3, 7), 2);
            assertThat(r.requests()).isEqualTo(4);
            assertThat(r.failed()).isZero();
            assertThat(gen.programsCompiled()).as("the engine compiled its forward programs").isGreaterThanOrEqualTo(1);
        }
        try (LoadGenerator gone = new LoadGenerator("http://127.0.0.1:1", "x", null)) {
            assertThat(gone.programsCompiled()).as("no server: not reported").isNaN();
        }
    }
}
