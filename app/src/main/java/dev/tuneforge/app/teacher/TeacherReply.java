package dev.tuneforge.app.teacher;

/**
 * A teacher endpoint's answer to one chat call and the tokens it says the call took (its {@code
 * usage}; 0 where it reports none).
 */
public record TeacherReply(String text, long promptTokens, long completionTokens) {}
