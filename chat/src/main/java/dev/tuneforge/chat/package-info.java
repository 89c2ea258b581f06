/**
 * Chat rows as a model sees them: OpenAI chat JSONL read, rendered with the model's Jinja
 * chat_template and tokenized with labels on assistant turns. Shared by the trainer and the app.
 */
@NullMarked
package dev.tuneforge.chat;

import org.jspecify.annotations.NullMarked;
