/**
 * Chat templates: a conversation ({@link dev.ingot.model.chat.ChatMessage} records) in, the prompt text out.
 *
 * <p>Contract: {@link dev.ingot.model.chat.ChatTemplate} renders a model's Jinja template with Jinjava using the
 * variables and helpers Hugging Face and llama.cpp provide ({@code messages}, {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token}, {@code tools}, {@code raise_exception}, {@code strftime_now}, HF's
 * {@code tojson}), with {@code trim_blocks}/{@code lstrip_blocks} on. Python string methods in templates are
 * supported by a source rewrite to filters. A template that rejects the conversation throws
 * {@link dev.ingot.model.chat.ChatTemplateException} with the template's message. Models without a template get
 * ChatML. Rendering is pure (no I/O, no shared mutable state) and safe from any thread.
 */
package dev.ingot.model.chat;
