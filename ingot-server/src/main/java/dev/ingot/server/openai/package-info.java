/**
 * The OpenAI wire format: request JSON to plain records and plain engine results back to response JSON.
 *
 * <p>Parsing is tolerant like OpenAI's and vLLM's: unknown fields are ignored, known ones are type-checked and
 * validated, and every rejection is an {@link dev.ingot.server.ApiError} naming the parameter. Sampling values are
 * validated by {@link dev.ingot.runtime.sample.SamplingParams} itself, whose messages are user-facing and start
 * with the parameter's name (which becomes the error's {@code param}).
 *
 * <p>Supported fields: {@code model, prompt (string, [string], [int]), messages, max_tokens,
 * max_completion_tokens, temperature, top_p, n, stop (string or list), seed, presence_penalty, frequency_penalty,
 * logprobs (bool for chat, int for completions), top_logprobs, stream, stream_options.include_usage, tools,
 * tool_choice}, and vLLM's extensions {@code top_k, min_p, repetition_penalty, ignore_eos, stop_token_ids}.
 */
package dev.ingot.server.openai;
