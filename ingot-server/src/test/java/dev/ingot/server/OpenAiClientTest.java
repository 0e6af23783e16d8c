package dev.ingot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against a live server: what real clients see. */
class OpenAiClientTest {
    private static TestServer srv;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        srv = new TestServer();
        client = OpenAIOkHttpClient.builder().baseUrl(srv.base() + "/v1").apiKey(TestServer.KEY).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (srv != null) srv.close();
    }

    private static CompletionCreateParams.Builder completion(String prompt, long maxTokens) {
        return CompletionCreateParams.builder().model(TestServer.MODEL).prompt(prompt).maxTokens(maxTokens).temperature(0.0);
    }

    @Test
    void greedyCompletionIsTheModelsKnownText() {
        Completion c = client.completions().create(completion("Once upon a time", 12).build());
        CompletionChoice ch = c.choices().getFirst();
        // stories260K's greedy continuation (llama.cpp gives the same).
        assertThat(ch.text()).startsWith(", there was a little girl named Lily");
        assertThat(ch.finishReason()).isEqualTo(CompletionChoice.FinishReason.LENGTH);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(12);
        assertThat(c.usage().orElseThrow().promptTokens()).isGreaterThan(1);
        assertThat(c.model()).isEqualTo(TestServer.MODEL);
    }

    @Test
    void streamedCompletionEqualsTheNonStreamedOne() {
        String whole = client.completions().create(completion("Once upon a time", 20).build()).choices().getFirst().text();
        StringBuilder streamed = new StringBuilder();
        List<String> finishes = new ArrayList<>();
        try (StreamResponse<Completion> s = client.completions().createStreaming(completion("Once upon a time", 20).build())) {
            s.stream().forEach(c -> c.choices().forEach(ch -> {
                streamed.append(ch.text());
                ch._finishReason().asKnown().ifPresent(f -> finishes.add(f.asString()));
            }));
        }
        assertThat(streamed.toString()).isEqualTo(whole);
        assertThat(finishes).containsExactly("length");
    }

    @Test
    void stopStringEndsTheCompletionBeforeIt() {
        Completion c = client.completions().create(completion("Once upon a time", 40).stop("Lily").build());
        assertThat(c.choices().getFirst().text()).isEqualTo(", there was a little girl named ");
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(CompletionChoice.FinishReason.STOP);
    }

    @Test
    @SuppressWarnings("deprecation") // the SDK marks _additionalProperties() on TopLogprob deprecated; it is the map's only accessor
    void completionLogprobsListTheGreedyTokenFirst() {
        Completion c = client.completions().create(completion("Once upon a time", 5).logprobs(3).build());
        CompletionChoice.Logprobs lp = c.choices().getFirst().logprobs().orElseThrow();
        assertThat(lp.tokens().orElseThrow()).hasSize(5);
        assertThat(String.join("", lp.tokens().orElseThrow())).isEqualTo(c.choices().getFirst().text());
        assertThat(lp.tokenLogprobs().orElseThrow()).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(0.0));
        assertThat(lp.topLogprobs().orElseThrow()).allSatisfy(t -> assertThat(t._additionalProperties()).hasSize(3));
    }

    @Test
    void batchedPromptsGiveChoicesIndexedPromptMajorWithSummedUsage() {
        List<String> prompts = List.of("Once upon a time", "Lily and Ben");
        List<String> alone = prompts.stream().map(p -> client.completions().create(completion(p, 10).build()).choices().getFirst().text()).toList();
        Completion c = client.completions().create(completion("", 10).promptOfArrayOfStrings(prompts).n(2).build());
        // OpenAI numbers a batch's choices prompt-major: index = prompt * n + choice
        assertThat(c.choices()).extracting(CompletionChoice::index).containsExactly(0L, 1L, 2L, 3L);
        assertThat(c.choices()).extracting(CompletionChoice::text).containsExactly(alone.get(0), alone.get(0), alone.get(1), alone.get(1));
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(4 * 10);
        int promptTokens = 0;
        for (String p : prompts) promptTokens += srv.model.tokenizer().encode(p, true, true).length;
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(promptTokens);

        // the same prompts as token-id lists
        List<List<Long>> ids = prompts.stream()
                .map(p -> Arrays.stream(srv.model.tokenizer().encode(p, true, true)).mapToObj(x -> (long) x).toList()).toList();
        Completion byIds = client.completions().create(completion("", 10).promptOfArrayOfTokenArrays(ids).build());
        assertThat(byIds.choices()).extracting(CompletionChoice::text).containsExactly(alone.get(0), alone.get(1));
    }

    @Test
    void streamedBatchInterleavesChoicesThatAddUpToTheNonStreamedOnes() {
        List<String> prompts = List.of("Once upon a time", "Lily and Ben", "The cat");
        Completion whole = client.completions().create(completion("", 12).promptOfArrayOfStrings(prompts).build());
        StringBuilder[] streamed = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        List<Long> finished = new ArrayList<>();
        try (StreamResponse<Completion> s = client.completions().createStreaming(completion("", 12).promptOfArrayOfStrings(prompts).build())) {
            s.stream().forEach(c -> c.choices().forEach(ch -> {
                streamed[(int) ch.index()].append(ch.text());
                if (ch._finishReason().asKnown().isPresent()) finished.add(ch.index());
            }));
        }
        for (int i = 0; i < prompts.size(); i++) assertThat(streamed[i].toString()).isEqualTo(whole.choices().get(i).text());
        assertThat(finished).containsExactlyInAnyOrder(0L, 1L, 2L);
    }

    private static ChatCompletionCreateParams.Builder chat(long maxTokens) {
        return ChatCompletionCreateParams.builder().model(TestServer.MODEL).addSystemMessage("You tell stories.")
                .addUserMessage("Tell me a story.").maxCompletionTokens(maxTokens);
    }

    @Test
    @SuppressWarnings("deprecation") // OpenAI deprecated seed in its API; vLLM and Ingot still honour it
    void chatWithNChoicesAndSeedGivesNChoicesAndUsage() {
        ChatCompletion c = client.chat().completions().create(chat(8).n(3).temperature(1.0).seed(7).build());
        assertThat(c.choices()).hasSize(3);
        assertThat(c.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L, 2L);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(24);
        // Same seed, same request: the same three samples (seeded per request).
        ChatCompletion again = client.chat().completions().create(chat(8).n(3).temperature(1.0).seed(7).build());
        assertThat(again.choices()).extracting(ch -> ch.message().content().orElse(""))
                .isEqualTo(c.choices().stream().map(ch -> ch.message().content().orElse("")).toList());
    }

    @Test
    void streamedChatEqualsNonStreamedAndEndsWithUsage() {
        ChatCompletion whole = client.chat().completions().create(chat(16).temperature(0.0).build());
        StringBuilder streamed = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionCreateParams p = chat(16).temperature(0.0)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(p)) {
            s.stream().forEach(c -> {
                chunks.add(c);
                c.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append));
            });
        }
        assertThat(streamed.toString()).isEqualTo(whole.choices().getFirst().message().content().orElseThrow());
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(whole.usage().orElseThrow().completionTokens());
    }

    @Test
    void chatLogprobsGiveTopAlternativesWithTheChosenTokenFirstWhenGreedy() {
        ChatCompletion c = client.chat().completions().create(chat(6).temperature(0.0).logprobs(true).topLogprobs(4).build());
        List<ChatCompletionTokenLogprob> content = c.choices().getFirst().logprobs().orElseThrow().content().orElseThrow();
        assertThat(content).isNotEmpty();
        for (ChatCompletionTokenLogprob t : content) {
            assertThat(t.topLogprobs()).hasSize(4);
            assertThat(t.topLogprobs().getFirst().token()).isEqualTo(t.token());
            assertThat(t.logprob()).isLessThanOrEqualTo(0.0);
        }
    }

    @Test
    void modelsListsTheServedModel() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).containsExactly(TestServer.MODEL);
        assertThat(Optional.of(models.getFirst().ownedBy())).contains("ingot");
    }
}
