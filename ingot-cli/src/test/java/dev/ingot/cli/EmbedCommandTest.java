package dev.ingot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.onnx.TensorProtos;
import dev.ingot.onnx.proto.Onnx.GraphProto;
import dev.ingot.onnx.proto.Onnx.ModelProto;
import dev.ingot.onnx.proto.Onnx.NodeProto;
import dev.ingot.onnx.proto.Onnx.OperatorSetIdProto;
import dev.ingot.onnx.proto.Onnx.TensorProto;
import dev.ingot.onnx.proto.Onnx.TensorShapeProto;
import dev.ingot.onnx.proto.Onnx.TypeProto;
import dev.ingot.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingot embed} on an encoder written by the test: the "hidden state" of a token is its row of a table, so
 * pooled embeddings can be worked out by hand. (The real models are tested in ingot-onnx against ONNX Runtime.)
 */
class EmbedCommandTest {
    @TempDir Path dir;
    Path model;

    // vocab: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 hello=4 world=5; rows [6, 2]
    private static final float[] TABLE = {0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 3};

    @BeforeEach
    void writeModel() throws IOException {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch_size"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("sequence_length"));
        TypeProto ids = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.INT64_VALUE).setShape(s)).build();
        GraphProto g = GraphProto.newBuilder().setName("enc")
                .addInput(ValueInfoProto.newBuilder().setName("input_ids").setType(ids))
                .addInput(ValueInfoProto.newBuilder().setName("attention_mask").setType(ids))
                .addInitializer(TensorProtos.fromTensor(Tensor.f32(TABLE, 6, 2), "table"))
                .addNode(NodeProto.newBuilder().setOpType("Gather").setName("emb").addInput("table").addInput("input_ids").addOutput("last_hidden_state"))
                .addOutput(ValueInfoProto.newBuilder().setName("last_hidden_state")).build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
        model = dir.resolve("enc.onnx");
        Files.write(model, m.toByteArray());
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"normalizer":{"type":"BertNormalizer","lowercase":true},"pre_tokenizer":{"type":"BertPreTokenizer"},
                 "post_processor":{"type":"BertProcessing","sep":["[SEP]",3],"cls":["[CLS]",2]},
                 "model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"hello":4,"world":5}}}""");
    }

    @Test
    void jsonHasTheOpenAiShapeWithMeanPooledUnitVectors() throws IOException {
        // "Hello" pads to the length of "hello world" in one batch; padding must not change its vector
        var r = OnnxCommandsTest.ingot("embed", "-m", model.toString(), "--json", "Hello", "hello world");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.path("object").asText()).isEqualTo("list");
        assertThat(root.path("model").asText()).isEqualTo(model.toString());
        assertThat(root.path("usage").path("prompt_tokens").asInt()).isEqualTo(7);
        assertThat(root.path("usage").path("total_tokens").asInt()).isEqualTo(7);
        JsonNode d0 = root.path("data").get(0);
        assertThat(d0.path("object").asText()).isEqualTo("embedding");
        assertThat(d0.path("index").asInt()).isZero();
        // [CLS] hello [SEP]: mean (2/3, 1/3) -> (2, 1) / sqrt 5
        assertThat(d0.path("embedding").get(0).asDouble()).isCloseTo(2 / Math.sqrt(5), within(1e-6));
        assertThat(d0.path("embedding").get(1).asDouble()).isCloseTo(1 / Math.sqrt(5), within(1e-6));
        // [CLS] hello world [SEP]: mean (2/4, 4/4) -> (1, 2) / sqrt 5
        JsonNode d1 = root.path("data").get(1);
        assertThat(d1.path("index").asInt()).isEqualTo(1);
        assertThat(d1.path("embedding").get(0).asDouble()).isCloseTo(1 / Math.sqrt(5), within(1e-6));
        assertThat(d1.path("embedding").get(1).asDouble()).isCloseTo(2 / Math.sqrt(5), within(1e-6));
    }

    @Test
    void plainOutputIsOneLinePerTextAndClsPoolingCanBeChosen() {
        var r = OnnxCommandsTest.ingot("embed", "-m", dir.toString(), "--pooling", "cls", "--stats", "world", "hello");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly("1.0 0.0", "1.0 0.0");
        assertThat(r.err()).contains("cls pooling, dim 2").contains("2 texts, 6 tokens");
    }

    @Test
    void anUnknownModelIsAOneLineError() {
        var r = OnnxCommandsTest.ingot("embed", "-m", dir.resolve("nope.onnx").toString(), "x");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("not a known model");
    }
}
