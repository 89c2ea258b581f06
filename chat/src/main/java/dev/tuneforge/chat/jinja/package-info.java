/**
 * Jinjava taught the Python that Hugging Face chat templates use (keyword arguments that are whole
 * expressions, slices with steps, str methods, transformers' tojson), so templates render as
 * transformers' apply_chat_template renders them.
 */
@NullMarked
package dev.tuneforge.chat.jinja;

import org.jspecify.annotations.NullMarked;
