package dev.ingot.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.model.chat.ChatTemplate;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.server.ApiError;
import dev.ingot.testkit.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RequestParserTest {
    /** Writes the tool names, then the messages: enough to see what reached the template. */
    private static final String TEMPLATE = "{% if tools %}TOOLS:{% for t in tools %}{{ t.function.name }};{% endfor %}{% endif %}"
            + "{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}";
    private static GgufFile gguf;
    private static Tokenizer tokenizer;
    private static RequestParser parser;

    @BeforeAll
    static void load() throws Exception {
        gguf = GgufFile.open(SharedData.model("stories260K.gguf"));
        tokenizer = Tokenizer.fromGguf(gguf);
        parser = new RequestParser(tokenizer, ChatTemplate.of(TEMPLATE, "", ""));
    }

    @AfterAll
    static void close() {
        gguf.close();
    }

    private static ApiRequest parse(String json, boolean chat) {
        return parser.parse(RequestParser.readBody(json), chat);
    }

    private static String prompt(ApiRequest r) {
        return tokenizer.decode(r.prompts().getFirst().ids(), true, true);
    }

    @Test
    void completionsDefaultTo16TokensLikeOpenAiAndChatToUnlimited() {
        assertThat(parse("{\"model\":\"m\",\"prompt\":\"hi\"}", false).sampling().maxTokens()).isEqualTo(16);
        assertThat(parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", true).sampling().maxTokens())
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(parse("{\"model\":\"m\",\"prompt\":\"hi\",\"max_tokens\":5,\"max_completion_tokens\":7}", false).sampling().maxTokens()).isEqualTo(7);
    }

    @Test
    void stopIsAStringOrAListAndExplicitNullsAreAbsent() {
        assertThat(parse("{\"model\":\"m\",\"prompt\":\"hi\",\"stop\":\"x\"}", false).sampling().stop()).containsExactly("x");
        assertThat(parse("{\"model\":\"m\",\"prompt\":\"hi\",\"stop\":[\"a\",\"b\"]}", false).sampling().stop()).containsExactly("a", "b");
        ApiRequest r = parse("{\"model\":\"m\",\"prompt\":\"hi\",\"stop\":null,\"temperature\":null,\"seed\":null}", false);
        assertThat(r.sampling().stop()).isEmpty();
        assertThat(r.sampling().temperature()).isEqualTo(1.0);
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"prompt\":\"hi\",\"stop\":[1]}", false))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.param()).isEqualTo("stop"));
    }

    @Test
    void logprobsAreABoolForChatAndAnIntForCompletions() {
        ApiRequest c = parse("{\"model\":\"m\",\"prompt\":\"hi\",\"logprobs\":3}", false);
        assertThat(c.sampling().logprobs()).isTrue();
        assertThat(c.sampling().topLogprobs()).isEqualTo(3);
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_logprobs\":2}", true))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.param()).isEqualTo("top_logprobs"));
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logprobs\":true,\"top_logprobs\":21}", true))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.param()).isEqualTo("top_logprobs"));
    }

    @Test
    void toolsAreRenderedThroughTheTemplateUnlessToolChoiceIsNone() {
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{}}}]";
        ApiRequest r = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Paris?\"}]," + tools + "}", true);
        assertThat(r.toolsGiven()).isTrue();
        assertThat(prompt(r)).contains("TOOLS:get_weather;").contains("[user]Paris?");
        ApiRequest none = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Paris?\"}]," + tools + ",\"tool_choice\":\"none\"}", true);
        assertThat(none.toolsGiven()).isFalse();
        assertThat(prompt(none)).doesNotContain("TOOLS");
    }

    @Test
    void contentPartsAreJoinedAndAssistantToolCallsAccepted() {
        ApiRequest r = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"42\"}]}", true);
        assertThat(prompt(r)).contains("[user]ab").contains("[tool]42");
    }

    @Test
    void promptsAsTokenIdsPassThrough() {
        assertThat(parse("{\"model\":\"m\",\"prompt\":[1,2,3]}", false).prompts().getFirst().ids()).containsExactly(1, 2, 3);
    }

    @Test
    void listsOfPromptsAreBatchesAndMixesAreRefused() {
        ApiRequest texts = parse("{\"model\":\"m\",\"prompt\":[\"a\",\"b\"],\"n\":3}", false);
        assertThat(texts.prompts()).extracting(ApiRequest.Prompt::text).containsExactly("a", "b");
        assertThat(texts.totalChoices()).isEqualTo(6);
        ApiRequest ids = parse("{\"model\":\"m\",\"prompt\":[[1,2],[3]]}", false);
        assertThat(ids.prompts()).extracting(ApiRequest.Prompt::ids).containsExactly(new int[] {1, 2}, new int[] {3});
        for (String bad : new String[] {"[\"a\",[1]]", "[[1],\"a\"]", "[]", "[[]]", "[1,\"a\"]", "{}", "[true]"}) {
            assertThatThrownBy(() -> parse("{\"model\":\"m\",\"prompt\":" + bad + "}", false)).as(bad)
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.param()).isEqualTo("prompt"));
        }
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"prompt\":[\"a\",\"b\",\"c\"],\"n\":100}", false))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage()).contains("at most 256"));
    }
}
