/**
 * Reading an upload: one row reader per format (chat, prompt/completion, Alpaca, ShareGPT, CSV),
 * checked and written as canonical chat JSONL in one streamed pass by the normaliser.
 */
@NullMarked
package dev.tuneforge.app.dataset.ingest;

import org.jspecify.annotations.NullMarked;
