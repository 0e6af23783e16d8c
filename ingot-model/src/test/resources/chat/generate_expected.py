"""Renders the test conversations with Python Jinja2 exactly as Hugging Face transformers does
(ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, HF's tojson, raise_exception,
strftime_now) and writes expected.json, the oracle for ChatTemplateTest. Run: python3 generate_expected.py"""
import json
from datetime import datetime
import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)

def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

def strftime_now(fmt):
    return datetime.now().strftime(fmt)

env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = strftime_now

TOKENS = {  # template -> (bos_token, eos_token)
    "llama-3.2": ("<|begin_of_text|>", "<|eot_id|>"),
    "qwen2.5": ("", "<|im_end|>"),
    "smollm2": ("<|im_start|>", "<|im_end|>"),
    "mistral-7b-instruct-v0.2": ("<s>", "</s>"),
    "gemma-2": ("<bos>", "<eos>"),
    "qwen3": ("", "<|im_end|>"),
    "chatml": ("", ""),
}
CHATML = ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
          "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")

def msg(role, content, tool_calls=None, tool_call_id=None, name=None):
    m = {"role": role, "content": content}
    if tool_calls:
        m["tool_calls"] = [{"id": c[0], "type": "function", "function": {"name": c[1], "arguments": c[2]}} for c in tool_calls]
    if tool_call_id is not None:
        m["tool_call_id"] = tool_call_id
    if name is not None:
        m["name"] = name
    return m

TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "Get the weather in a city, e.g. \"Paris\"",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer", "default": 1}},
                         "required": ["city"]}}}]

CONVERSATIONS = {
    "system-user": [msg("system", "You are terse."), msg("user", "Hello, who are you?")],
    "multi-turn": [msg("user", "  Hi there!  "), msg("assistant", "Hello! How can I help?"), msg("user", "Ünïcödé テスト 😀 \"quotes\" and {braces}")],
    "tool-call": [msg("system", "Use tools when needed."), msg("user", "Weather in Paris?"),
                  msg("assistant", None, tool_calls=[("call_1", "get_weather", {"city": "Paris", "days": 2})]),
                  msg("tool", "{\"temp_c\": 21, \"sky\": \"clear\"}", tool_call_id="call_1", name="get_weather")],
    "thinking": [msg("system", "Think first."), msg("user", "What is 2+2?"),
                 msg("assistant", "<think>\nAdd them.\n</think>\n\n4"), msg("user", "And 3+3?")],
    "thinking-last": [msg("user", "What is 2+2?"), msg("assistant", "<think>\nAdd them.\n</think>\n\n4")],
    "tool-call-empty-content": [msg("user", "Weather in Paris?"),
                  msg("assistant", "", tool_calls=[("call_1", "get_weather", {"city": "Paris"})]),
                  msg("tool", "sunny", tool_call_id="call_1", name="get_weather"),
                  msg("tool", "21 C", tool_call_id="call_1", name="get_weather")],
    "system-only-gemma-error": [msg("system", "x"), msg("user", "y")],
    "alternation-error": [msg("user", "a"), msg("user", "b")],
}

CASES = [
    ("llama-3.2", "system-user", False, True), ("llama-3.2", "multi-turn", False, True), ("llama-3.2", "tool-call", True, True),
    ("llama-3.2", "multi-turn", False, False),
    ("qwen2.5", "system-user", False, True), ("qwen2.5", "multi-turn", False, True), ("qwen2.5", "tool-call", True, True),
    ("qwen2.5", "tool-call", False, False),
    ("smollm2", "system-user", False, True), ("smollm2", "multi-turn", False, True),
    ("mistral-7b-instruct-v0.2", "multi-turn", False, True), ("mistral-7b-instruct-v0.2", "system-user", False, True),
    ("mistral-7b-instruct-v0.2", "alternation-error", False, True),
    ("gemma-2", "multi-turn", False, True), ("gemma-2", "system-only-gemma-error", False, True),
    ("qwen3", "thinking", False, True), ("qwen3", "thinking-last", False, False),
    ("qwen3", "tool-call-empty-content", True, True), ("qwen3", "system-user", False, True, {"enable_thinking": False}),
    ("chatml", "system-user", False, True), ("chatml", "multi-turn", False, False),
]

out = []
for template, conv, with_tools, gen, *more in CASES:
    extra = {"date_string": "24 Nov 2026", **(more[0] if more else {})}
    src = CHATML if template == "chatml" else open(template + ".jinja", encoding="utf-8").read()
    bos, eos = TOKENS[template]
    kwargs = dict(messages=CONVERSATIONS[conv], add_generation_prompt=gen, bos_token=bos, eos_token=eos,
                  **extra)
    if with_tools:
        kwargs["tools"] = TOOLS
    case = {"template": template, "conversation": conv, "tools": TOOLS if with_tools else None,
            "add_generation_prompt": gen, "bos_token": bos, "eos_token": eos,
            "extra": extra, "messages": CONVERSATIONS[conv]}
    try:
        case["expected"] = env.from_string(src).render(**kwargs)
    except jinja2.exceptions.TemplateError as e:
        case["error"] = str(e)
    out.append(case)

with open("expected.json", "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
print(len(out), "cases")
