/**
 * A load generator for OpenAI-compatible servers, in the spirit of vLLM's {@code benchmark_serving.py}: a fixed
 * number of streaming {@code /v1/completions} requests with token-id prompts and exact output lengths
 * ({@code ignore_eos}), sent by {@code concurrency} virtual-thread clients. Per request it measures time to
 * the first streamed token and the gaps between later token events (each request asks for {@code logprobs: 0}
 * so every token produces an event); aggregates are output tokens per second of wall
 * time, requests per second, and p50/p99 of TTFT and inter-token latency (gaps pooled over all requests, as vLLM).
 */
package dev.ingot.server.bench;
