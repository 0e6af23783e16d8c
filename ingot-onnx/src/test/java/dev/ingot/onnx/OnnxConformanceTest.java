package dev.ingot.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The ONNX backend test suites ({@code node}, {@code pytorch-converted}, {@code pytorch-operator}, {@code simple})
 * from Debian's {@code libonnx-testdata} (dir: {@code -Donnx.testdata}, default /usr/share/libonnx-testdata/data).
 * Every case either passes or is listed in {@code unsupported-tests.txt} with its reason; a listed case that passes
 * fails too, so the list only shrinks. With {@code -Donnx.conformance.write=FILE} nothing fails and the current
 * failures are written to FILE in the list's format (to regenerate the list after a change).
 */
class OnnxConformanceTest {
    static final List<String> SUITES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");
    private static final AtomicInteger PASSED = new AtomicInteger(), LISTED = new AtomicInteger();
    private static final Map<String, String> FAILURES = new ConcurrentHashMap<>();
    /** The op list of the ONNX-frontend issue; node tests using only these must pass at >= 90%. */
    static final Set<String> ISSUE_OPS = Set.of("MatMul", "Gemm", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Erf", "Tanh", "Exp",
            "Log", "Neg", "Abs", "Reciprocal", "Max", "Min", "Equal", "Less", "Greater", "Not", "And", "Or", "Softmax",
            "LayerNormalization", "Gather", "Reshape", "Transpose", "Unsqueeze", "Squeeze", "Concat", "Slice", "Shape", "Cast",
            "Where", "Expand", "ReduceMean", "ReduceSum", "ReduceMax", "Relu", "Gelu", "Sigmoid", "LeakyRelu", "Constant",
            "ConstantOfShape", "Identity", "Flatten", "Split", "Range", "Clip");
    private static final AtomicInteger ISSUE_CASES = new AtomicInteger(), ISSUE_PASSED = new AtomicInteger();

    @TestFactory
    Stream<DynamicTest> backendTests() throws IOException {
        Path data = Path.of(System.getProperty("onnx.testdata", "/usr/share/libonnx-testdata/data"));
        assertThat(data.resolve("node")).as("ONNX backend test data (apt-get install libonnx-testdata)").isDirectory();
        Map<String, String> listed = UnsupportedList.read();
        boolean write = System.getProperty("onnx.conformance.write") != null;
        List<ConformanceCase> cases = new ArrayList<>();
        for (String suite : SUITES) {
            Path dir = data.resolve(suite);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> Files.exists(p.resolve("model.onnx"))).sorted().forEach(p -> cases.add(new ConformanceCase(suite, p)));
            }
        }
        assertThat(cases).as("cases under " + data).isNotEmpty();
        for (String id : listed.keySet()) {
            assertThat(cases.stream().anyMatch(c -> c.id().equals(id))).as("unsupported-tests.txt lists " + id + ", which does not exist").isTrue();
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String why = c.run();
            if (why != null) FAILURES.put(c.id(), why);
            if (c.suite().equals("node") && ISSUE_OPS.containsAll(c.opTypes())) {
                ISSUE_CASES.incrementAndGet();
                if (why == null) ISSUE_PASSED.incrementAndGet();
            }
            if (write) return;
            if (listed.containsKey(c.id())) {
                LISTED.incrementAndGet();
                assertThat(why).as(c.id() + " now passes: remove it from unsupported-tests.txt").isNotNull();
            } else {
                assertThat(why).as(c.id()).isNull();
                PASSED.incrementAndGet();
            }
        }));
    }

    @AfterAll
    static void summary() throws IOException {
        String out = System.getProperty("onnx.conformance.write");
        if (out != null) {
            Files.writeString(Path.of(out), UnsupportedList.format(new TreeMap<>(FAILURES)));
            System.out.println("ONNX conformance: wrote " + FAILURES.size() + " failures to " + out);
        }
        System.out.println("ONNX conformance: " + PASSED.get() + " passed, " + LISTED.get() + " listed as unsupported");
        System.out.printf("ONNX conformance: node tests using only the issue's ops: %d of %d pass%n", ISSUE_PASSED.get(), ISSUE_CASES.get());
        if (out == null && ISSUE_CASES.get() > 0) {
            assertThat(ISSUE_PASSED.get() * 10).as("node tests of the issue's ops passing (target 90%)").isGreaterThanOrEqualTo(ISSUE_CASES.get() * 9);
        }
    }
}
