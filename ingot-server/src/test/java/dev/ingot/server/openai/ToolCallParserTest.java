package dev.ingot.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolCallParserTest {
    @Test
    void hermesBlocksBecomeCallsAndTheRestContent() {
        ToolCallParser.Parsed p = ToolCallParser.parse("Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>"
                + "<tool_call>{\"name\": \"get_time\", \"arguments\": {}}</tool_call>");
        assertThat(p.calls()).containsExactly(new ToolCallParser.Call("get_weather", "{\"city\":\"Paris\"}"),
                new ToolCallParser.Call("get_time", "{}"));
        assertThat(p.content()).isEqualTo("Let me check.");
    }

    @Test
    void anUnclosedFinalHermesBlockStillCounts() {
        ToolCallParser.Parsed p = ToolCallParser.parse("<tool_call>{\"name\": \"f\", \"arguments\": {\"x\": 1}}");
        assertThat(p.calls()).containsExactly(new ToolCallParser.Call("f", "{\"x\":1}"));
        assertThat(p.content()).isNull();
    }

    @Test
    void llama3JsonStylesWithParameters() {
        assertThat(ToolCallParser.parse("{\"name\": \"f\", \"parameters\": {\"a\": \"b\"}}").calls())
                .containsExactly(new ToolCallParser.Call("f", "{\"a\":\"b\"}"));
        assertThat(ToolCallParser.parse("<|python_tag|>{\"name\": \"f\", \"parameters\": {}}; {\"name\": \"g\", \"parameters\": {\"k\": 2}}").calls())
                .extracting(ToolCallParser.Call::name).containsExactly("f", "g");
        assertThat(ToolCallParser.parse("[{\"name\": \"f\", \"arguments\": \"{\\\"q\\\": 1}\"}]").calls())
                .containsExactly(new ToolCallParser.Call("f", "{\"q\": 1}"));
    }

    @Test
    void textThatIsNotACallStaysContent() {
        assertThat(ToolCallParser.parse("The answer is {42}.").calls()).isEmpty();
        assertThat(ToolCallParser.parse("{\"no_name\": 1}").content()).isEqualTo("{\"no_name\": 1}");
        ToolCallParser.Parsed broken = ToolCallParser.parse("<tool_call>{not json}</tool_call>");
        assertThat(broken.calls()).isEmpty();
        assertThat(broken.content()).isEqualTo("<tool_call>{not json}</tool_call>");
    }
}
