package dev.ingot.model.arch;

import dev.ingot.ir.Graph;

/** A model's forward graph ({@link ForwardSignature}) with the hyper-parameters the runtime needs to drive it. */
public record ModelGraph(String architecture, Graph graph, DecoderParams params, int kvBlockSize) {}
