/**
 * GGUF, the single-file model format of llama.cpp and Ollama, written and read from its
 * specification (version 3), and the exports that turn a Hugging Face model folder into a GGUF file
 * and an Ollama Modelfile.
 */
@NullMarked
package dev.tuneforge.modelformat.gguf;

import org.jspecify.annotations.NullMarked;
